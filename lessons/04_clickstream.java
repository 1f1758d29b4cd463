///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/events/Clickstream.java ../lab/LabConfig.java ../lab/kafka/LabKafka.java ../lab/kafka/ClickstreamProducer.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/04_clickstream/1_weighted_event_type/WeightedEventType.java ../solutions/04_clickstream/2_type_fields/TypeFields.java
//SOURCES ../solutions/04_clickstream/3_preferred_settings/PreferredSettings.java ../solutions/04_clickstream/4_clickstream_sender/ClickstreamSender.java
//MAIN ClickstreamLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Lesson 04 — the clickstream generator. A music service's events into {@code music_events}: first the
 * original project's way (a flush after every message), then the preferred way, and the difference in
 * events per second. The loop is lab/kafka/ClickstreamProducer and the data lab/events/Clickstream; the weighted
 * draw (04.1), the type's fields (04.2), the settings (04.3) and the sender (04.4) are the exercises' solutions.
 *
 *   ./jbang lesson04 [--count 50000] [--original-count 1000] [--rate 0] [--duration 0s] [--seed 42] [--topic music_events]
 *
 * --rate limits events per second (0 = as fast as possible); --duration sends for that long instead of a count.
 */
class ClickstreamLesson {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Lesson.options(args);
        long count = Long.parseLong(opt.getOrDefault("--count", "50000"));
        long originalCount = Long.parseLong(opt.getOrDefault("--original-count", "1000"));
        double rate = Double.parseDouble(opt.getOrDefault("--rate", "0"));
        Duration duration = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("--duration", "0s").replace("s", "")));
        long seed = Long.parseLong(opt.getOrDefault("--seed", "42"));
        String topic = opt.getOrDefault("--topic", "music_events");
        // the topic is the learner's own in a workshop (lab.topic: alice.music_events)
        Lesson.run("04", lab -> run(lab, lab.topic(topic), seed, count, originalCount, rate, duration));
    }

    static int run(LabConfig lab, String topic, long seed, long count, long originalCount, double rate, Duration duration)
            throws Exception {
        Lesson.step(1, "The event dictionary (the original project's types, names and weights)");
        Lesson.saw(String.format("%-3s %-26s %-24s %s", "id", "name_en", "name_ru", "weight"));
        for (EventType t : EventType.values()) {
            Lesson.saw(String.format("%-3d %-26s %-24s %.2f", t.id, t.nameEn, t.nameRu, t.weight));
        }

        Lesson.step(2, "Drawing a type by weight (exercise 04.1): 100,000 draws");
        WeightedEventType draw = new WeightedEventType();
        java.util.Random random = new java.util.Random(seed);
        Map<EventType, Integer> drawn = new java.util.EnumMap<>(EventType.class);
        for (int i = 0; i < 100_000; i++) {
            drawn.merge(draw.draw(random.nextDouble()), 1, Integer::sum);
        }
        drawn.forEach((t, n) -> Lesson.saw(String.format("%-26s %6.2f%%  (weight %.2f)", t.nameEn, n / 1000.0, t.weight)));

        Lesson.step(3, "Users and tracks (seed " + seed + ": the same seed gives the same data)");
        Clickstream stream = new Clickstream(seed, Clickstream.DEFAULT_USERS, Clickstream.DEFAULT_TRACKS, -1, draw, new TypeFields());
        Lesson.saw(stream.users().size() + " users, " + stream.tracks().size() + " tracks (a few hits, a long tail)");
        stream.users().stream().limit(3).forEach(u -> Lesson.saw(String.format("user %s  %-13s %-15s token %s... (%s)",
                u.id(), u.country(), u.ipv4(), u.platformToken().substring(0, 16), u.platformToken().contains(":APA91b") ? "Android" : "iOS")));

        Lesson.step(4, "One event of each type, with its own fields (exercise 04.2)");
        EnumSet<EventType> shown = EnumSet.noneOf(EventType.class);
        Clickstream sampler = new Clickstream(seed + 1, 100, 100, -1, draw, new TypeFields());
        while (shown.size() < EventType.values().length) {
            MusicEvent e = sampler.next();
            if (shown.add(e.type())) {
                Lesson.saw(e.toJson().replaceAll("\"platform_token\":\"(.{12})[^\"]*\"", "\"platform_token\":\"$1...\""));
            }
        }

        Lesson.step(5, "The topic: 3 partitions, key = user id (exercise 04.4)");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        LabKafka.ensureTopic(lab, topic, 3);
        Lesson.say("A key sends all of one user's events to one partition, so they stay in order;");
        Lesson.say("different users spread over the partitions, so consumers can share the work.");

        Lesson.step(6, "The original way: send, then flush() after every message");
        ClickstreamProducer.Result original = ClickstreamProducer.run(lab, ClickstreamProducer.originalSettings(), new ClickstreamSender(),
                new ClickstreamProducer.Options(topic, originalCount, Duration.ZERO, 0, true), stream, Lesson::saw);
        Lesson.saw(String.format("%,d events in %,d ms = %,.0f events/s", original.sent(), original.millis(), original.perSecond()));
        Lesson.say("Each flush() waits for the broker's answer: one network round trip per event.");

        Lesson.step(7, "The preferred way (exercise 04.3): asynchronous sends, batching, lz4, acks=all, idempotence");
        java.util.Properties settings = PreferredSettings.preferred();
        settings.stringPropertyNames().stream().sorted().forEach(k -> Lesson.saw(k + " = " + settings.getProperty(k)));
        Lesson.saw("smallest delivery.timeout.ms Kafka accepts with these: " + PreferredSettings.minimumDeliveryTimeout(settings)
                + " ms (linger.ms + request.timeout.ms)");
        ClickstreamProducer.Result preferred = ClickstreamProducer.run(lab, settings, new ClickstreamSender(),
                new ClickstreamProducer.Options(topic, duration.isZero() ? count : 0, duration, rate, false), stream, Lesson::saw);
        Lesson.saw(String.format("%,d events in %,d ms = %,.0f events/s, %,d acknowledged, %,d failed (counted in the callback)",
                preferred.sent(), preferred.millis(), preferred.perSecond(), preferred.acknowledged(), preferred.failed()));
        if (rate == 0) {
            Lesson.saw(String.format("%.0fx the original's throughput", preferred.perSecond() / Math.max(1, original.perSecond())));
        }
        Lesson.say("Batches of many events per request, compressed together; the callback counts failures instead");
        Lesson.say("of waiting for each answer. acks=all + idempotence: retries neither lose nor duplicate events.");
        Lesson.say("The numbers, measured against Kafka's own ProducerPerformance (docs/benchmarks.md, chart included):");
        Lesson.say("these settings reach 0.6x-1.1x of it (same records; the rest is making each event and its JSON, ~0.9 us);");
        Lesson.say("one flush per message reaches 0.01x of it.");

        Lesson.step(8, "Where they landed");
        try (Admin admin = LabKafka.admin(lab)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var offsets = admin.listOffsets(latest).all().get();
            List<String> lines = offsets.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(TopicPartition::partition)))
                    .map(e -> "partition " + e.getKey().partition() + ": log ends at offset " + e.getValue().offset())
                    .collect(Collectors.toList());
            lines.forEach(Lesson::saw);
        }
        Lesson.say("Look: ./jbang kafka-console-consumer --bootstrap-server " + lab.kafkaBootstrap() + " --topic " + topic
                + " --property print.key=true --property print.partition=true --max-messages 5 --from-beginning");
        Lesson.say("Your exercises: exercises/04_clickstream/ (1_weighted_event_type ... 4_clickstream_sender).");
        Lesson.say("Check them: ./jbang course verify 04.1 (to 04.4)");
        return 0;
    }
}
