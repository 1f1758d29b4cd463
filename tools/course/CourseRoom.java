//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./jbang course room}: the teacher's view of the room, live. It is a small Kafka lesson of its own: a consumer
 * of a compacted topic. Each learner's runner writes the learner's status now to the room's topic, keyed by the
 * learner ({@link CourseWorkshop}); compaction keeps the last record of every key, so reading the topic from its
 * beginning rebuilds the room as a table, learner by learner, and every new record updates one row. No consumer
 * group: it assigns itself the partition and seeks to the beginning each time, and commits nothing.
 */
final class CourseRoom {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final Course c;

    CourseRoom(Course course) {
        this.c = course;
    }

    /** {@code room [--once] [--refresh S] [--forget NAME]}. */
    int run(List<String> args) {
        LabConfig lab = CourseWorkshop.lab(c.env);
        String topic = CourseWorkshop.topic(c.env);
        int forget = args.indexOf("--forget");
        if (forget >= 0) {
            return forget(lab, topic, forget + 1 < args.size() ? args.get(forget + 1) : "");
        }
        int at = args.indexOf("--refresh");
        long refreshMillis = at >= 0 && at + 1 < args.size() ? (long) (Double.parseDouble(args.get(at + 1)) * 1000) : 2000;
        boolean once = args.contains("--once");
        CourseWorkshop.ensureTopic(lab, topic); // the teacher's room may open before any learner's first event
        Map<String, JsonNode> room = new TreeMap<>();
        AtomicBoolean quit = new AtomicBoolean();
        if (!once) {
            Thread keys = new Thread(() -> waitForQuit(quit), "course-room-keys");
            keys.setDaemon(true);
            keys.start();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings(lab))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // first the whole topic as it is now: the room so far
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> apply(room, r));
            }
            show(lab, topic, room.values());
            if (once) {
                return 0;
            }
            long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshMillis);
            while (!quit.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> apply(room, r));
                if (System.nanoTime() >= next) {
                    show(lab, topic, room.values());
                    next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshMillis);
                }
            }
            return 0;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new CourseException("The room view could not read " + topic + " at " + lab.kafkaBootstrap() + ": " + e.getMessage());
        }
    }

    static Properties consumerSettings(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "course-room-view");
        return props; // no group.id: assign + seek, nothing committed
    }

    /** One record: the learner's status now, or a tombstone (no value) that removes the learner. */
    static void apply(Map<String, JsonNode> room, ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            room.remove(r.key());
            return;
        }
        try {
            room.put(r.key(), CourseCatalog.JSON.readTree(r.value()));
        } catch (IOException | RuntimeException notAStatus) {
            // someone wrote something else to the room's topic: not a learner's line
        }
    }

    private void show(LabConfig lab, String topic, Collection<JsonNode> learners) {
        if (c.ui.terminal) {
            c.out.print("\u001b[H\u001b[2J"); // the same screen, redrawn
        }
        for (String line : render(learners, System.currentTimeMillis(), topic, lab.kafkaBootstrap())) {
            c.out.println(line);
        }
        c.out.flush();
    }

    /** The room as lines of text: one per learner, one per exercise, the exercise where it is stuck most. */
    static List<String> render(Collection<JsonNode> learners, long now, String topic, String bootstrap) {
        List<String> out = new ArrayList<>();
        out.add("The room at " + LocalTime.now().format(CLOCK) + ": " + Course.plural(learners.size(), "learner")
                + " sharing progress (topic " + topic + " at " + bootstrap + ")");
        out.add("");
        out.add(String.format("  %-16s %-6s %-20s %8s %6s %6s  %s", "LEARNER", "EX", "STATE", "ON IT", "HINTS", "DONE", "LAST EVENT"));
        List<JsonNode> rows = new ArrayList<>(learners);
        rows.sort(Comparator.comparing((JsonNode n) -> n.path("learner").asText()));
        for (JsonNode n : rows) {
            out.add(String.format("  %-16s %-6s %-20s %8s %6d %6s  %s", n.path("learner").asText(), n.path("exercise").asText(),
                    n.path("state").asText(), ago(now - n.path("since").asLong(now)), n.path("hints").asInt(),
                    n.path("done").asInt() + "/" + n.path("total").asInt(),
                    n.path("event").asText() + ", " + ago(now - n.path("at").asLong(now)) + " ago").stripTrailing());
        }
        out.add("");
        Map<String, List<JsonNode>> byExercise = rows.stream().filter(n -> !n.path("state").asText().equals("all done"))
                .collect(Collectors.groupingBy(n -> n.path("exercise").asText(), TreeMap::new, Collectors.toList()));
        out.add("Per exercise:");
        for (Map.Entry<String, List<JsonNode>> e : byExercise.entrySet()) {
            List<JsonNode> on = e.getValue();
            out.add(String.format("  %-6s %-40s %s", e.getKey(), clip(on.get(0).path("title").asText(), 40), summary(on, now)));
        }
        long allDone = rows.stream().filter(n -> n.path("state").asText().equals("all done")).count();
        if (allDone > 0) {
            out.add("  " + Course.plural(allDone, "learner") + " finished every exercise");
        }
        out.add("");
        out.add(stuckMost(byExercise, now));
        out.add("");
        out.add("(This view is a Kafka consumer of the compacted topic " + topic + ": key = learner, value = the learner's status");
        out.add(" now. Compaction keeps each key's last record, so reading from the beginning rebuilds the room; no group.)");
        return out;
    }

    /** "3 learners: 2 at TODO 02.3.1, 1 compile error; median 9 min on it; 4 hints". */
    static String summary(List<JsonNode> on, long now) {
        Map<String, Long> states = on.stream().collect(Collectors.groupingBy(n -> n.path("state").asText(), TreeMap::new,
                Collectors.counting()));
        String byState = states.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(s -> s.getValue() + " " + s.getKey()).collect(Collectors.joining(", "));
        int hints = on.stream().mapToInt(n -> n.path("hints").asInt()).sum();
        return Course.plural(on.size(), "learner") + ": " + byState + "; median " + ago(median(on, now)) + " on it; "
                + Course.plural(hints, "hint");
    }

    /** The exercise with the most learners whose last check failed (then the longest median time on it). */
    static String stuckMost(Map<String, List<JsonNode>> byExercise, long now) {
        String worst = null;
        long worstCount = 0;
        long worstMedian = 0;
        for (Map.Entry<String, List<JsonNode>> e : byExercise.entrySet()) {
            List<JsonNode> stuck = e.getValue().stream().filter(CourseRoom::failing).toList();
            long median = stuck.isEmpty() ? 0 : median(stuck, now);
            if (stuck.size() > worstCount || stuck.size() == worstCount && stuck.size() > 0 && median > worstMedian) {
                worst = e.getKey();
                worstCount = stuck.size();
                worstMedian = median;
            }
        }
        if (worst == null) {
            return "Stuck most: nobody's last check failed.";
        }
        Map<String, Long> where = byExercise.get(worst).stream().filter(CourseRoom::failing)
                .collect(Collectors.groupingBy(n -> n.path("state").asText(), Collectors.counting()));
        String top = where.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        return "Stuck most: " + worst + " - " + Course.plural(worstCount, "learner") + " failing (most " + top + "), median "
                + ago(worstMedian) + " on it";
    }

    static boolean failing(JsonNode n) {
        String s = n.path("state").asText();
        return s.startsWith("at TODO") || s.equals("failing") || s.equals("compile error");
    }

    private static long median(List<JsonNode> on, long now) {
        long[] times = on.stream().mapToLong(n -> now - n.path("since").asLong(now)).sorted().toArray();
        return times[times.length / 2];
    }

    /** 45 s, 12 min, 1 h 05 min. */
    static String ago(long millis) {
        long s = Math.max(0, millis / 1000);
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60);
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }

    /** Removes a learner from the room: a tombstone (a record with the key and no value), which compaction keeps a while. */
    private int forget(LabConfig lab, String topic, String learner) {
        if (!LabConfig.isLearnerName(learner)) {
            throw new CourseException("Whom to forget? ./jbang course room --forget <learner> (" + LabConfig.badLearner(learner) + ")");
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(CourseWorkshop.producerSettings(lab))) {
            producer.send(new ProducerRecord<>(topic, learner, null)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CourseException("Could not write the tombstone for " + learner + " to " + topic + ": " + e.getMessage());
        }
        c.out.println("Wrote a tombstone for " + learner + " to " + topic + ": the room forgets them (compaction removes"
                + " their older records, then the tombstone itself after delete.retention.ms).");
        return 0;
    }

    /** q (then Enter) ends the live view; Ctrl-C does too. */
    private void waitForQuit(AtomicBoolean quit) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(c.in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.strip().equalsIgnoreCase("q")) {
                    quit.set(true);
                    return;
                }
            }
        } catch (IOException e) {
            // no keyboard: Ctrl-C ends it
        }
    }
}
