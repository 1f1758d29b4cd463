import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Exercise 00.3: a topic is created with its partitions; an existing topic is no error, any other error is. */
class CreateTopicTest {

    @Test
    void aNewTopicGetsThePartitionsAskedFor() throws Exception {
        String topic = TestLab.unique("create-topic");
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            assertThat(CreateTopic.create(admin, topic, 3)).as("the topic was missing: created").isTrue();
            assertThat(partitions(admin, topic)).as("partitions of %s, as the cluster describes it", topic).isEqualTo(3);
        }
    }

    @Test
    void anExistingTopicIsNoErrorAndIsLeftAsItIs() throws Exception {
        String topic = TestLab.unique("create-topic");
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            assertThat(CreateTopic.create(admin, topic, 2)).as("first call creates").isTrue();
            assertThat(CreateTopic.create(admin, topic, 2)).as("second call: the topic exists, that is no error").isFalse();
            assertThat(CreateTopic.create(admin, topic, 5)).as("asked with another partition count: still there, no error").isFalse();
            assertThat(partitions(admin, topic)).as("partitions of the existing topic: unchanged").isEqualTo(2);
        }
    }

    @Test
    void otherErrorsAreNotSwallowed() throws Exception {
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            assertThat(causes(thrownBy(() -> CreateTopic.create(admin, "no spaces allowed!", 1))))
                    .as("an invalid topic name is a real error: it must reach the caller")
                    .hasAtLeastOneElementOfType(InvalidTopicException.class);
            assertThat(causes(thrownBy(() -> CreateTopic.create(admin, TestLab.unique("create-topic"), 0))))
                    .as("0 partitions is a real error: it must reach the caller")
                    .hasAtLeastOneElementOfType(InvalidPartitionsException.class);
        }
    }

    /** What the call threw (an unfinished TODO is rethrown as is, so the test names it); null when it returned. */
    private static Throwable thrownBy(ThrowingCallable call) {
        try {
            call.call();
            return null;
        } catch (Todo.NotDoneException todo) {
            throw todo;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The exception and its causes, outermost first (empty when nothing was thrown). */
    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
    }
}
