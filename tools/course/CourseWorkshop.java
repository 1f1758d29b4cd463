//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The course in a workshop: the learner's name on a shared cluster (asked once, kept in the course state, handed to
 * the lessons and the checks, so every name they make starts with it), and the learner's progress events for the
 * teacher's room view ({@link CourseRoom}): one record per event on the course's room topic, keyed by the learner, its
 * value the learner's whole status now. Only for learners who said yes; the events go to the cluster the course already
 * uses, with the same client settings (KAFKA_CLIENT_PROPERTIES), nowhere else.
 */
final class CourseWorkshop implements AutoCloseable {
    /** The room's topic (COURSE_ROOM_TOPIC changes it): compacted, keyed by learner. */
    static final String DEFAULT_TOPIC = "course-room";

    private final Course c;
    private String learner;
    private KafkaProducer<String, String> producer;
    private Future<RecordMetadata> last;
    private boolean warned;

    CourseWorkshop(Course course) {
        this.c = course;
    }

    /** The lab the runner's environment names (the learner's name aside). */
    static LabConfig lab(Map<String, String> env) {
        try {
            return LabConfig.from(name -> "COURSE_LEARNER".equals(name) ? null : env.get(name));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CourseException(e.getMessage());
        }
    }

    static String topic(Map<String, String> env) {
        String t = env.get("COURSE_ROOM_TOPIC");
        return t == null || t.isBlank() ? DEFAULT_TOPIC : t.strip();
    }

    /**
     * The learner's name: COURSE_LEARNER, else the one kept in the course state, else asked now when the course points
     * at a shared cluster (then kept); "" when there is none and none is needed (a solo learner on a local lab).
     */
    String learner() {
        if (learner != null) {
            return learner;
        }
        String fromEnv = c.env.get("COURSE_LEARNER");
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (!LabConfig.isLearnerName(fromEnv.strip())) {
                throw new CourseException("COURSE_LEARNER: " + LabConfig.badLearner(fromEnv.strip()));
            }
            return learner = fromEnv.strip();
        }
        if (c.state.learner != null && LabConfig.isLearnerName(c.state.learner)) {
            return learner = c.state.learner;
        }
        LabConfig lab = lab(c.env);
        if (!lab.kafkaIsShared()) {
            return learner = "";
        }
        c.out.println(c.ui.bold("This course points at a shared cluster") + " (Kafka at " + lab.kafkaBootstrap() + "): a room of"
                + " learners uses it at once.");
        c.out.println("Your name keeps your topics, groups, objects and tables apart from everybody else's: each starts with it"
                + " (alice.my_topic). 1-16 lower-case letters and digits, a letter first.");
        for (int tries = 0; tries < 3; tries++) {
            c.out.print("Your name: ");
            c.out.flush();
            String answer = readLine();
            if (answer == null) {
                throw new CourseException("No name given. Run ./jbang course in a terminal (it asks), or set COURSE_LEARNER=<your name>.");
            }
            answer = answer.strip().toLowerCase(Locale.ROOT);
            if (LabConfig.isLearnerName(answer)) {
                c.state.learner = answer;
                if (c.state.room == null && !c.env.containsKey("COURSE_ROOM")) {
                    c.out.print("Share your progress with the teacher's room view (your name, exercise, pass/fail, the TODO you"
                            + " stopped at, hints taken; sent to the topic " + topic(c.env) + " on this cluster only)? [y/N] ");
                    c.out.flush();
                    String yes = readLine();
                    c.state.room = yes != null && yes.strip().toLowerCase(Locale.ROOT).startsWith("y");
                }
                c.state.save(c.root);
                c.out.println("Your names start with " + c.ui.bold(answer + ".") + " (kept in " + CourseState.FILE
                        + "; the lessons and the checks use it)." + (Boolean.TRUE.equals(c.state.room) ? " Progress shared." : ""));
                return learner = answer;
            }
            c.out.println(LabConfig.badLearner(answer));
        }
        throw new CourseException("No valid name given: set COURSE_LEARNER=<your name> (e.g. alice) and run this again.");
    }

    /** True when this learner's events go to the room: COURSE_ROOM=on/off, else what the learner answered. */
    boolean roomOn() {
        String env = c.env.get("COURSE_ROOM");
        boolean on = env != null ? List.of("on", "1", "yes", "true").contains(env.strip().toLowerCase(Locale.ROOT))
                : Boolean.TRUE.equals(c.state.room);
        return on && !learner().isEmpty();
    }

    /** The learner started on {@code ex} (the first time the runner sees it as the one to work on). */
    void started(CourseCatalog.Exercise ex) {
        if (ex != null && !c.state.startedAt.containsKey(ex.id())) {
            c.state.startedAt(ex, System.currentTimeMillis());
            c.state.save(c.root);
            publish("started", ex, "started", null);
        }
    }

    /** A check of {@code ex} ended: passed (the learner moves on), or failed where {@code result} says. */
    void verified(CourseCatalog.Exercise ex, CheckResult result) {
        if (result.passed()) {
            CourseCatalog.Exercise next = c.state.current(c.catalog.exercises);
            if (next == null) {
                publish("passed " + ex.id(), ex, "all done", null);
            } else {
                c.state.startedAt(next, System.currentTimeMillis());
                c.state.save(c.root);
                publish("passed " + ex.id(), next, "started", null);
            }
            return;
        }
        CheckResult.Failure todo = result.firstTodo();
        String state = result.outcome().equals(CheckResult.COMPILE_ERROR) ? "compile error"
                : todo != null ? "at TODO " + todo.todoId() : "failing";
        publish("verify failed", ex, state, todo == null ? null : todo.todoId());
    }

    /** The learner took hint number {@code n} of {@code ex}. */
    void hinted(CourseCatalog.Exercise ex, int n) {
        publish("hint " + n, ex, null, null);
    }

    /** Sends the learner's status now; {@code state} null keeps the one last sent for this exercise. */
    private void publish(String event, CourseCatalog.Exercise ex, String state, String todo) {
        if (!roomOn()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (state == null) { // a hint: keep what the room last knew about this exercise
            state = ex.id().equals(c.state.roomExercise) && c.state.roomState != null ? c.state.roomState : "started";
        }
        c.state.roomExercise = ex.id();
        c.state.roomState = state;
        c.state.save(c.root);
        ObjectNode status = CourseCatalog.JSON.createObjectNode().put("learner", learner()).put("exercise", ex.id())
                .put("title", ex.title()).put("state", state).put("hints", c.state.hints.getOrDefault(ex.id(), 0))
                .put("since", c.state.startedAt(ex, now)).put("at", now).put("event", event)
                .put("done", c.state.doneCount(c.catalog.exercises)).put("total", c.catalog.exercises.size());
        if (todo != null) {
            status.put("todo", todo);
        }
        try {
            if (producer == null) {
                LabConfig lab = lab(c.env);
                ensureTopic(lab, topic(c.env));
                producer = new KafkaProducer<>(producerSettings(lab));
            }
            last = producer.send(new ProducerRecord<>(topic(c.env), learner(), status.toString()));
        } catch (RuntimeException e) {
            warn(e);
        }
    }

    static Properties producerSettings(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "course-room-" + lab.learner());
        // the learner's command must not hang on a room that does not answer: a few seconds, then a warning
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "4000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return props;
    }

    /**
     * Creates the room's topic when it is missing: one partition, compacted (the last record of each learner is kept,
     * older ones are cleaned away), with small segments so that compaction happens within a workshop's hour. A learner
     * whose ACLs allow only writing to it (the workshop lab's) finds it there, made by the lab.
     */
    static void ensureTopic(LabConfig lab, String topic) {
        try (Admin admin = LabKafka.admin(lab)) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            NewTopic room = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of("cleanup.policy", "compact",
                    "segment.ms", "60000", "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "60000"));
            admin.createTopics(List.of(room)).all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new CourseException("Cannot create the room's topic " + topic + " at " + lab.kafkaBootstrap() + ": "
                        + e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            throw new CourseException("Kafka at " + lab.kafkaBootstrap() + " did not answer within 10 s (creating " + topic + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void warn(Exception e) {
        if (!warned) {
            warned = true;
            c.out.println(c.ui.dim("  (room: your progress could not be sent to " + topic(c.env) + ": " + e.getMessage() + ")"));
        }
    }

    /** Waits (a few seconds at most) until what was sent is acknowledged, then closes the producer. */
    @Override
    public void close() {
        if (producer == null) {
            return;
        }
        try {
            if (last != null) {
                last.get(6, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            warn(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }

    /** One line from the runner's input, read byte by byte so that nothing after it is taken from later readers. */
    private String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = c.in.read()) != -1; ) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8).replace("\r", "");
                }
                line.write(b);
            }
        } catch (IOException e) {
            return null;
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }
}
