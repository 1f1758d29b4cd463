//SOURCES ../LabConfig.java ../LabException.java ../kafka/LabKafka.java ../kafka/LabTopics.java ../lake/LabS3.java ../clickhouse/ClickHouse.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./jbang lab reset --learner alice}: a learner starts over on a shared cluster. Deletes everything in the
 * learner's namespace (LabConfig#name) and nothing else: their topics and consumer groups ({@code alice.*}), their S3
 * objects ({@code alice.*} keys), their ClickHouse database, and their line in the room view (a tombstone). Run by the
 * teacher, whose login may do this; a learner's own login may too, for their own names only.
 */
public final class LearnerReset {
    private LearnerReset() {}

    /** What was deleted, counted. */
    public record Deleted(int topics, int groups, int objects, boolean database) {}

    public static Deleted reset(LabConfig lab, String learner, String roomTopic, Consumer<String> say) {
        if (!LabConfig.isLearnerName(learner)) {
            throw new LabException("Whom to reset? " + LabConfig.badLearner(learner));
        }
        String prefix = learner + ".";
        int topics;
        int groups;
        try (Admin admin = LabKafka.admin(lab)) {
            List<String> mine = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(prefix)).sorted().toList();
            List<String> theirGroups = new ArrayList<>();
            for (GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS)) {
                if (g.groupId().startsWith(prefix)) {
                    theirGroups.add(g.groupId());
                }
            }
            if (!theirGroups.isEmpty()) { // groups first: a group whose member still runs is refused, and says so
                LabTopics.deleteGroups(lab, theirGroups);
            }
            if (!mine.isEmpty()) {
                admin.deleteTopics(mine).all().get(60, TimeUnit.SECONDS);
            }
            topics = mine.size();
            groups = theirGroups.size();
            say.accept("Kafka: deleted " + topics + " topic(s) and " + groups + " group(s) named " + prefix + "*");
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(roomTopic)) {
                try (KafkaProducer<String, String> p = new KafkaProducer<>(tombstoneSettings(lab))) {
                    p.send(new ProducerRecord<>(roomTopic, learner, null)).get(30, TimeUnit.SECONDS);
                }
                say.accept("room: a tombstone for " + learner + " in " + roomTopic);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not reset " + learner + " in Kafka at " + lab.kafkaBootstrap() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while resetting " + learner, e);
        }
        int objects = 0;
        try (MinioClient s3 = LabS3.client(lab)) {
            List<DeleteObject> keys = new ArrayList<>();
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(lab.bucket()).prefix(prefix).recursive(true).build())) {
                keys.add(new DeleteObject(r.get().objectName()));
            }
            for (var error : s3.removeObjects(RemoveObjectsArgs.builder().bucket(lab.bucket()).objects(keys).build())) {
                throw new LabException("S3 refused to delete " + error.get().objectName() + ": " + error.get().message());
            }
            objects = keys.size();
            say.accept("S3: deleted " + objects + " object(s) under s3://" + lab.bucket() + "/" + prefix);
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("Could not reset " + learner + "'s objects at " + lab.s3Endpoint() + ": " + e.getMessage(), e);
        }
        boolean database = false;
        try (ClickHouse ch = ClickHouse.connect(lab.withLearner(""))) {
            ch.execute("DROP DATABASE IF EXISTS " + learner + " SYNC");
            database = true;
            say.accept("ClickHouse: dropped database " + learner + " (its Kafka tables stopped consuming)");
        } catch (RuntimeException noClickHouse) {
            say.accept("ClickHouse: not reached at " + lab.clickhouseUrl() + " (" + noClickHouse.getMessage().lines().findFirst().orElse("")
                    + "); its database " + learner + " is left as it is");
        }
        return new Deleted(topics, groups, objects, database);
    }

    private static java.util.Properties tombstoneSettings(LabConfig lab) {
        java.util.Properties p = lab.kafkaProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("max.block.ms", "10000");
        return p;
    }
}
