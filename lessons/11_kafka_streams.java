///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/streams/StreamsApp.java ../lab/streams/StreamsProcess.java ../lab/streams/ClickstreamFeed.java ../lab/streams/PlaysChart.java
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/teaching/Lesson.java
//SOURCES ../solutions/11_kafka_streams/1_event_time/EventTime.java ../solutions/11_kafka_streams/2_windowed_count/PlaysPerMinute.java
//SOURCES ../solutions/11_kafka_streams/3_session_skip_rate/SkipRatePerSession.java ../solutions/11_kafka_streams/4_exactly_once/ExactlyOnce.java
//COMPILE_OPTIONS -encoding UTF-8
//MAIN KafkaStreamsLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender=error
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.RecordDeserializer=error
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.kstream.internals=error

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Lesson 11 — Kafka Streams on the clickstream: lesson 09's questions (plays per track per minute, how often listeners
 * skip, the top tracks) answered in real time, as the events arrive, by one application (lab/streams/): windows by
 * event time with a grace period, session windows, state stores read by interactive queries, exactly_once_v2 and what
 * it costs, two instances splitting the work, and a state store restored from its changelog topic.
 *
 *   ./jbang lesson11 [--count 6000] [--seed 11] [--minutes 10] [--http-port 0] [--no-crash]
 *
 * Self-contained: it writes its own events to a topic of this run. --count and --minutes make bigger runs; --no-crash
 * leaves out step 10 (two application processes killed with SIGKILL and restarted, about a minute). The state of every
 * instance (RocksDB) lives under .lab/streams/ and is deleted at the end. Needs Kafka: ./jbang lab up (no Docker) or
 * docker compose up -d.
 */
class KafkaStreamsLesson {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What one run of the application from a cold start over the topic measured. */
    record Run(String applicationId, Duration toRunning, Duration toCaughtUp, long events, long dropped, Map<String, Long> plays) {
        double eventsPerSecond() {
            return events / Math.max(0.001, toCaughtUp.toMillis() / 1000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Lesson.options(args);
        int count = Integer.parseInt(opt.getOrDefault("--count", "6000"));
        long seed = Long.parseLong(opt.getOrDefault("--seed", "11"));
        int minutes = Integer.parseInt(opt.getOrDefault("--minutes", "10"));
        int httpPort = Integer.parseInt(opt.getOrDefault("--http-port", "0"));
        boolean crash = !opt.containsKey("--no-crash");
        Lesson.run("11", lab -> run(lab, count, seed, minutes, httpPort, crash));
    }

    static int run(LabConfig lab, int count, long seed, int minutes, int httpPort, boolean crash) throws Exception {
        long runId = Instant.now().getEpochSecond();
        // in a workshop the learner's own (alice.lesson11_..., alice.lesson11-...: its internal topics start with it too)
        String topic = lab.topic("lesson11_" + runId);
        String appId = lab.applicationId("lesson11-" + runId);
        Path stateRoot = StreamsApp.stateRoot();
        deleteOldRuns(stateRoot, lab.applicationId("lesson11-"));
        Path state = stateRoot.resolve(appId);
        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(topic, appId);
        ClickstreamTopology.Parts parts = new ClickstreamTopology.Parts(new EventTime(), new PlaysPerMinute(), new SkipRatePerSession(),
                new ExactlyOnce());

        Lesson.step(1, "One application, four parts you write (lab/streams/ClickstreamTopology.java)");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        Lesson.say("Kafka Streams is a library: the application is a plain Java program, and Kafka is its only infrastructure.");
        Lesson.say("Its topology, as Kafka Streams describes it (sub-topologies run as tasks, one task per partition):");
        TopologyDescription description = ClickstreamTopology.build(options, parts, new java.util.concurrent.atomic.LongAdder()).describe();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            List<String> sources = new ArrayList<>();
            List<String> stores = new ArrayList<>();
            List<String> sinks = new ArrayList<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source s) {
                    sources.add(String.valueOf(s.topicSet()).replace(appId + "-", ""));
                } else if (node instanceof TopologyDescription.Processor p) {
                    stores.addAll(p.stores());
                } else if (node instanceof TopologyDescription.Sink s) {
                    sinks.add(s.topic().replace(appId, "<app>"));
                }
            }
            Lesson.saw("sub-topology " + sub.id() + ": reads " + String.join(", ", sources) + ", keeps " + stores + ", writes " + sinks);
        }
        Lesson.say("Sub-topology 0 reads the events (exercise 11.1 says when each one happened), adds up plays and skips per");
        Lesson.say("listening session (11.3), and re-keys the plays by track into a repartition topic; sub-topology 1 counts");
        Lesson.say("them per track per minute (11.2). Each store has a changelog topic; 11.4 makes it all one transaction.");

        Lesson.step(2, minutes + " minutes of listening, keyed by user, into " + topic);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<MusicEvent> events = ClickstreamFeed.events(seed, count, end, Duration.ofMinutes(minutes));
        List<String> bad = List.of("not json at all", "{\"event_params\": {\"event_type_id\": 99}}", "");
        LabKafka.ensureTopic(lab, topic, 3);
        ClickstreamFeed.send(lab, topic, events, bad);
        Map<String, Long> expected = ClickstreamFeed.playsPerMinute(events);
        long playsSent = expected.values().stream().mapToLong(Long::longValue).sum();
        Lesson.saw(String.format("%,d events from %s to %s (event time), %,d of them plays; and %d broken messages", events.size(),
                events.get(0).eventTime().truncatedTo(ChronoUnit.SECONDS), events.get(events.size() - 1).eventTime().truncatedTo(ChronoUnit.SECONDS),
                playsSent, bad.size()));
        Lesson.say("They are all in Kafka before the application starts: it begins with a backlog, as after any restart.");

        Lesson.step(3, "Start the application: exactly_once_v2, state in " + relative(state));
        long t0 = System.nanoTime();
        StreamsApp app = StreamsApp.start(lab, options, parts, StreamsApp.Instance.named("instance-a", state.resolve("a"))
                .deadLetters(topic + "_dlq").http(httpPort));
        try {
            app.awaitRunning(Duration.ofSeconds(180));
            Duration toRunning = Duration.ofNanos(System.nanoTime() - t0);
            Lesson.saw("RUNNING after " + toRunning.toMillis() + " ms (joined the group " + appId + ", created its internal topics)");
            Lesson.saw("its tasks: " + app.assignment());
            Duration caughtUp = StreamsApp.awaitCaughtUp(lab, appId, topic, Duration.ofSeconds(600), app::checkAlive);
            Lesson.saw(String.format("caught up (group lag 0 on the input and the repartition topic) %,d ms later: %,.0f events/s",
                    caughtUp.toMillis(), app.seen() / Math.max(0.001, caughtUp.toMillis() / 1000.0)));

            Lesson.step(4, "Plays per track per minute, by event time (the window store " + ClickstreamTopology.PLAYS_STORE + ")");
            Map<String, Long> plays = app.localPlays();
            long differ = Stream.concat(plays.keySet().stream(), expected.keySet().stream()).distinct()
                    .filter(k -> !java.util.Objects.equals(plays.get(k), expected.get(k))).count();
            Lesson.saw(String.format("%,d windows (track, minute) in the store; a plain count of the same events gives %,d; %d differ",
                    plays.size(), expected.size(), differ));
            Map<String, long[]> perMinute = new TreeMap<>();
            plays.forEach((k, v) -> {
                long[] m = perMinute.computeIfAbsent(k.substring(k.indexOf('@') + 1), x -> new long[2]);
                m[0] += v;
                m[1] = Math.max(m[1], v);
            });
            perMinute.forEach((minute, m) -> Lesson.saw(String.format("%s  %,5d plays, busiest track %d", minute, m[0], m[1])));
            Path chart = PlaysChart.write(plays, "Plays per minute, lesson 11 (" + events.size() + " events)", stateRoot.resolve("lesson11-plays-per-minute.png"));
            Lesson.saw("chart: " + relative(chart));
            Properties committed = new Properties();
            new ExactlyOnce().readerSettings(committed);
            List<ConsumerRecord<String, String>> out = read(lab, options.playsTopic(), committed);
            Lesson.saw(String.format("%s, read committed: %,d records for %,d windows; the latest per key is the count, e.g.",
                    options.playsTopic(), out.size(), plays.size()));
            out.stream().skip(out.size() / 2).limit(3).forEach(r -> Lesson.saw("  " + r.key() + " -> " + r.value()));
            Lesson.say("Every update of a count is a record (a table's changelog); ClickHouse's sql/11_plays_per_minute.sql gives");
            Lesson.say("the same numbers from lesson 08's table (Lesson11KafkaStreamsTest checks it).");

            Lesson.step(5, "Why the grace is 15 minutes: the same application with 30 s of grace, from a cold start");
            Run shortGrace = measure(lab, options.grace(Duration.ofSeconds(30)), parts, stateRoot, "grace30s", p -> { });
            long lost = playsSent - shortGrace.plays().values().stream().mapToLong(Long::longValue).sum();
            Lesson.saw(String.format("the same application with 30 s of grace, over the same backlog: %,d of %,d plays dropped as late",
                    lost, playsSent));
            Lesson.say("Working through a backlog, the tasks of the 3 input partitions race ahead of each other; after the repartition");
            Lesson.say("by track, plays of a slower partition reach the count \"late\" by up to the backlog's span. The grace must");
            Lesson.say("cover that too: a restart, or a new instance, works through a backlog.");

            Lesson.step(6, "What exactly_once_v2 costs: the same work, from a cold start, under each guarantee");
            Lesson.say("Both commit every 100 ms here (exactly-once's default; at_least_once's default is 30 s), so what differs is");
            Lesson.say("the transaction: one per commit, with the input offsets, the changelogs and the outputs in it.");
            Run alos = measure(lab, options, parts(ClickstreamTopology.AT_LEAST_ONCE), stateRoot, "alos", p -> p.put("commit.interval.ms", "100"));
            Run eos = measure(lab, options, parts, stateRoot, "eos", p -> { });
            Lesson.saw(String.format("at_least_once:   %,6.0f events/s (%,d ms from RUNNING to caught up)", alos.eventsPerSecond(), alos.toCaughtUp().toMillis()));
            Lesson.saw(String.format("exactly_once_v2: %,6.0f events/s (%,d ms)", eos.eventsPerSecond(), eos.toCaughtUp().toMillis()));
            Lesson.saw(String.format("exactly_once_v2 took %+.0f%% time for the same events (one run each: noisy; bench/11_streams.java repeats)",
                    100.0 * (eos.toCaughtUp().toMillis() - alos.toCaughtUp().toMillis()) / Math.max(1, alos.toCaughtUp().toMillis())));

            Lesson.step(7, "What it buys: an instance killed with SIGKILL in the middle, then restarted");
            if (crash) {
                crash(lab, topic, stateRoot, events.size(), expected, "at_least_once", ClickstreamTopology.AT_LEAST_ONCE);
                crash(lab, topic, stateRoot, events.size(), expected, "ExactlyOnce", new ExactlyOnce());
                Lesson.say("At least once: the work since the last commit is done twice, and a count counts those events twice.");
                Lesson.say("Exactly once: the killed transaction is aborted, its records stay invisible to read_committed readers");
                Lesson.say("(Kafka Streams' own, and yours: exercise 11.4), and the restart redoes the work once.");
            } else {
                Lesson.say("(left out: --no-crash)");
            }

            Lesson.step(8, "A late event: inside the grace period, and after it (window 1 min, grace " + options.grace().toMinutes() + " min)");
            MusicEvent newest = events.get(events.size() - 1);
            String track = events.stream().filter(e -> e.type() == EventType.TRACK_PLAYBACK).findFirst().orElseThrow().uuidTrack();
            Instant lateOk = newest.eventTime().minus(Duration.ofMinutes(12));
            Instant tooLate = newest.eventTime().minus(Duration.ofMinutes(20));
            long droppedBefore = app.droppedRecords();
            String okKey = track + "@" + lateOk.truncatedTo(ChronoUnit.MINUTES);
            String lateKey = track + "@" + tooLate.truncatedTo(ChronoUnit.MINUTES);
            long okBefore = plays.getOrDefault(okKey, 0L);
            ClickstreamFeed.send(lab, topic, List.of(play(newest, track, lateOk), play(newest, track, tooLate)), List.of());
            StreamsApp.awaitCaughtUp(lab, appId, topic, Duration.ofSeconds(120), app::checkAlive);
            Map<String, Long> after = app.localPlays();
            Lesson.saw(String.format("a play at %s, 12 min before the newest event: window %s went from %d to %d",
                    lateOk.truncatedTo(ChronoUnit.SECONDS), lateOk.truncatedTo(ChronoUnit.MINUTES), okBefore, after.getOrDefault(okKey, 0L)));
            Lesson.saw(String.format("a play at %s, 20 min before it: window %s holds %s; dropped-records-total went from %d to %d",
                    tooLate.truncatedTo(ChronoUnit.SECONDS), tooLate.truncatedTo(ChronoUnit.MINUTES),
                    after.containsKey(lateKey) ? after.get(lateKey) + " plays" : "nothing", droppedBefore, app.droppedRecords()));
            Lesson.say("Late = behind the newest event time the task has seen (its stream time), not behind the wall clock. A window");
            Lesson.say("closes once stream time passes its end + grace; a later event for it is dropped and counted in the metric");
            Lesson.say("dropped-records (which also counts the " + bad.size() + " broken messages).");

            Lesson.step(9, "Skips per listening session (a session ends after " + options.sessionGap().toMinutes() + " min without an event)");
            Map<String, SkipCounts> sessions = app.localSessions();
            long withPlays = sessions.values().stream().filter(c -> c.plays() >= 3).count();
            double meanRate = sessions.values().stream().filter(c -> c.plays() >= 3).mapToDouble(SkipCounts::rate).average().orElse(0);
            long listeners = sessions.keySet().stream().map(k -> k.substring(0, k.indexOf('@'))).distinct().count();
            Lesson.saw(String.format("%,d sessions of %,d listeners in the store %s; %,d with 3 plays or more, whose mean skip rate is "
                    + "%.2f skips per play", sessions.size(), listeners, ClickstreamTopology.SESSIONS_STORE, withPlays, meanRate));
            sessions.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, SkipCounts> e) -> -e.getValue().skips())).limit(3)
                    .forEach(e -> Lesson.saw(String.format("  %s  plays %d, skips %d", e.getKey(), e.getValue().plays(), e.getValue().skips())));
            Lesson.say(minutes + " minutes of events leave few pauses of 30 minutes. Now one listener who pauses:");
            String user = "11111111-1111-4111-8111-111111111111"; // a listener of our own (ids are lower-case UUIDs)
            List<String> tracks = events.stream().filter(e -> e.uuidTrack() != null).map(MusicEvent::uuidTrack).distinct().limit(3).toList();
            // 42 minutes back: a session stays open for the gap plus a grace of 15 min behind the newest event (stream time)
            Instant s0 = newest.eventTime().minus(Duration.ofMinutes(42)).truncatedTo(ChronoUnit.MINUTES);
            ClickstreamFeed.send(lab, topic, List.of(play(newest, user, tracks.get(0), s0),
                    skip(newest, user, tracks.get(0), tracks.get(1), s0.plus(Duration.ofMinutes(2))),
                    play(newest, user, tracks.get(2), s0.plus(Duration.ofMinutes(40)))), List.of());
            StreamsApp.awaitCaughtUp(lab, appId, topic, Duration.ofSeconds(120), app::checkAlive);
            sessionsOf(app, user).forEach((k, c) -> Lesson.saw(String.format("  %s  plays %d, skips %d", k, c.plays(), c.skips())));
            ClickstreamFeed.send(lab, topic, List.of(play(newest, user, tracks.get(1), s0.plus(Duration.ofMinutes(20)))), List.of());
            StreamsApp.awaitCaughtUp(lab, appId, topic, Duration.ofSeconds(120), app::checkAlive);
            Lesson.saw("then a late play, 20 min after the first, in the gap between them:");
            sessionsOf(app, user).forEach((k, c) -> Lesson.saw(String.format("  %s  plays %d, skips %d", k, c.plays(), c.skips())));
            Lesson.say("Two sessions 38 minutes apart, then one: the late event closed the gap and Kafka Streams merged them with");
            Lesson.say("your merger (exercise 11.3). The sessions topic got a tombstone for each merged-away session.");

            Lesson.step(10, "The top tracks now: an interactive query over HTTP, " + app.httpUrl() + "/top?n=5");
            JsonNode top = get(app.httpUrl() + "/top?n=5");
            Lesson.saw("minute " + top.path("minute").asText() + ", answered by " + top.path("instance").asText() + " from its window store:");
            top.path("tracks").forEach(t -> Lesson.saw("  " + t.path("track").asText() + "  " + t.path("plays").asLong() + " plays"));
            Lesson.say("No database in between: the endpoint reads the application's own RocksDB store (lab/streams/TopTracksHttp.java).");
            Lesson.say("Try it while the lesson runs: curl '" + app.httpUrl() + "/top?n=10'");

            Lesson.step(11, "Broken messages: counted, dead-lettered, never a stop");
            List<ConsumerRecord<String, String>> letters = LabTopics.readAll(lab, topic + "_dlq", Duration.ofSeconds(30));
            Lesson.saw(app.deadLetters() + " counted by the deserialization exception handler (lab/streams/DeadLetters.java); "
                    + letters.size() + " in " + topic + "_dlq:");
            for (ConsumerRecord<String, String> r : letters) {
                Lesson.saw(String.format("  \"%s\"  dlq.error=%s  from %s-%s@%s", r.value(), header(r, "dlq.error"),
                        header(r, "dlq.source.topic"), header(r, "dlq.source.partition"), header(r, "dlq.source.offset")));
            }

            Lesson.step(12, "Two instances of the same application: the partitions split, the state moves");
            try (StreamsApp b = StreamsApp.start(lab, options, parts, StreamsApp.Instance.named("instance-b", state.resolve("b")).http(0)
                    .settings(p -> p.put("acceptable.recovery.lag", "1000000000")))) {
                awaitBoth(app, b, Duration.ofSeconds(180));
                Lesson.saw("instance-a: " + app.assignment());
                Lesson.saw("instance-b: " + b.assignment());
                for (StreamsApp.Restore r : b.restores()) {
                    Lesson.saw(String.format("instance-b restored %s partition %d: %,d records from its changelog in %,d ms",
                            r.store(), r.partition(), r.records(), r.millis()));
                }
                Lesson.saw(String.format("windows in instance-a's store %,d, in instance-b's %,d: together %,d", app.localPlays().size(),
                        b.localPlays().size(), app.localPlays().size() + b.localPlays().size()));
                JsonNode local = get(app.httpUrl() + "/top?n=3");
                JsonNode all = get(app.httpUrl() + "/top?n=3&scope=all");
                Lesson.saw("instance-a alone, minute " + local.path("minute").asText() + ": " + tracks(local));
                Lesson.saw("both (scope=all, instance-a asks instance-b at its application.server): " + tracks(all));
                Lesson.say("acceptable.recovery.lag is raised here so the tasks move at once; by default Kafka Streams first warms up");
                Lesson.say("a copy of the state on the new instance and moves the task in a later (probing) rebalance.");
            }
            awaitAll(app, Duration.ofSeconds(180));
            Lesson.saw("instance-b closed (and left the group): instance-a runs " + app.assignment().active().size() + " tasks again");

            Lesson.step(13, "A restarted instance, its disk wiped, restores its stores from their changelog topics");
            Map<String, Long> before = app.localPlays();
            app.close();
            deleteTree(state.resolve("a"));
            long r0 = System.nanoTime();
            app = StreamsApp.start(lab, options, parts, StreamsApp.Instance.named("instance-a", state.resolve("a")).deadLetters(topic + "_dlq"));
            app.awaitRunning(Duration.ofSeconds(180));
            long restoreMs = (System.nanoTime() - r0) / 1_000_000;
            long restored = app.restores().stream().mapToLong(StreamsApp.Restore::records).sum();
            long restoringMs = app.restores().stream().mapToLong(StreamsApp.Restore::millis).max().orElse(0);
            Lesson.saw(String.format("%,d records restored into %d store partitions; the slowest took %,d ms; RUNNING %,d ms after the start",
                    restored, app.restores().size(), restoringMs, restoreMs));
            Map<String, Long> again = app.localPlays();
            Lesson.saw(String.format("the store after the restore: %,d windows, %,d plays (before the restart: %,d windows)", again.size(),
                    again.values().stream().mapToLong(Long::longValue).sum(), before.size()));

            Lesson.step(14, "What this run measured");
            Lesson.saw(String.format("the application: %,.0f events/s under exactly_once_v2, %,.0f under at_least_once (%,d events, 1 instance)",
                    eos.eventsPerSecond(), alos.eventsPerSecond(), count));
            Lesson.saw(String.format("a wiped instance: %,d records restored, RUNNING again in %,d ms", restored, restoreMs));
            Lesson.say("bench/11_streams.java on the course's machine (2 shared cores), 200,000 events: one warm instance did");
            Lesson.say("30,000-40,000 events/s; exactly_once_v2 / at_least_once was 0.96-1.00 (0.67 while the cores were busy with");
            Lesson.say("other work); a wiped instance restored 90,000 changelog records in 1.4 s (docs/benchmarks.md).");
            Lesson.say("Your exercises: exercises/11_kafka_streams/ (11.1 event time, 11.2 windowed count, 11.3 sessions, 11.4 exactly");
            Lesson.say("once). Check one: ./jbang course verify 11.1");
        } finally {
            app.close();
            deleteTree(state);
        }
        return 0;
    }

    static ClickstreamTopology.Parts parts(ClickstreamTopology.Guarantee guarantee) {
        return new ClickstreamTopology.Parts(new EventTime(), new PlaysPerMinute(), new SkipRatePerSession(), guarantee);
    }

    /** A cold start of a new application (own id, own state) over the same topic, to caught up; then it stops. */
    static Run measure(LabConfig lab, ClickstreamTopology.Options base, ClickstreamTopology.Parts parts, Path stateRoot, String name,
                       java.util.function.Consumer<Properties> settings) throws Exception {
        // lesson11-<name>-<run>, not <main id>-<name>: an application id must not be a prefix of another (internal topics)
        String appId = base.applicationId().replace("lesson11-", "lesson11-" + name + "-");
        ClickstreamTopology.Options o = new ClickstreamTopology.Options(base.inputTopic(), appId, appId + ".plays-per-minute",
                appId + ".skips-per-session", base.window(), base.grace(), base.sessionGap(), base.sessionGrace(), base.retention());
        long t0 = System.nanoTime();
        try (StreamsApp app = StreamsApp.start(lab, o, parts, StreamsApp.Instance.named(name, stateRoot.resolve(appId)).settings(settings))) {
            app.awaitRunning(Duration.ofSeconds(180));
            Duration toRunning = Duration.ofNanos(System.nanoTime() - t0);
            Duration caughtUp = StreamsApp.awaitCaughtUp(lab, appId, base.inputTopic(), Duration.ofSeconds(600), app::checkAlive);
            return new Run(appId, toRunning, caughtUp, app.seen(), app.droppedRecords(), app.localPlays());
        } finally {
            deleteTree(stateRoot.resolve(appId));
        }
    }

    /** Step 10 for one guarantee: a process killed after a third of the events, restarted, its output compared. */
    static void crash(LabConfig lab, String topic, Path stateRoot, int events, Map<String, Long> expected, String guaranteeClass,
                      ClickstreamTopology.Guarantee guarantee) throws Exception {
        String appId = "lesson11-crash-" + (guaranteeClass.equals("at_least_once") ? "alos" : "eos") + "-" + Instant.now().getEpochSecond();
        Path dir = stateRoot.resolve(appId);
        List<String> partNames = List.of("EventTime", "PlaysPerMinute", "SkipRatePerSession", guaranteeClass);
        // no cache: every update goes to the changelog and the output at once, as in a busy application with a full cache;
        // a commit every 5 s: the kill lands between two commits, with work done since the last one
        List<String> settings = List.of("statestore.cache.max.bytes=0", "commit.interval.ms=5000");
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        long killedAt;
        try (StreamsProcess first = StreamsProcess.start(lab, topic, appId, dir, "crash-1", partNames, settings)) {
            first.await("processed a third of the events", p -> p.seen() >= events / 3, Duration.ofSeconds(300));
            first.kill();
            killedAt = first.seen();
        }
        List<StreamsProcess.Restored> restored;
        try (StreamsProcess second = StreamsProcess.start(lab, topic, appId, dir, "crash-1", partNames, settings)) {
            second.await("started", p -> p.lines().stream().anyMatch(l -> l.startsWith("RUNNING")), Duration.ofSeconds(180));
            StreamsApp.awaitCaughtUp(lab, appId, topic, Duration.ofSeconds(600), () -> { });
            second.stop();
            restored = second.restored();
        } finally {
            deleteTree(dir);
        }
        Properties reader = new Properties();
        guarantee.readerSettings(reader);
        Map<String, Long> counted = new TreeMap<>();
        for (ConsumerRecord<String, String> r : read(lab, appId + ".plays-per-minute", reader)) {
            counted.put(r.key(), Long.parseLong(r.value()));
        }
        long wrong = expected.keySet().stream().filter(k -> !expected.get(k).equals(counted.get(k))).count();
        long extra = counted.values().stream().mapToLong(Long::longValue).sum() - total;
        Lesson.saw(String.format("%s: killed after %,d events; restarted, restored %,d changelog records; %,d of %,d windows wrong, "
                        + "%+,d plays counted", guarantee instanceof ExactlyOnce ? "exactly_once_v2" : "at_least_once", killedAt,
                restored.stream().mapToLong(StreamsProcess.Restored::records).sum(), wrong, expected.size(), extra));
        if (guarantee instanceof ExactlyOnce) {
            Properties uncommitted = new Properties();
            ClickstreamTopology.AT_LEAST_ONCE.readerSettings(uncommitted);
            long all = 0;
            long visible = 0;
            for (String output : List.of(appId + ".plays-per-minute", appId + ".skips-per-session")) {
                all += read(lab, output, uncommitted).size();
                visible += read(lab, output, reader).size();
            }
            Lesson.saw(String.format("  its two output topics: %,d records read_committed, %,d read_uncommitted (%,d written by the killed"
                    + " instance in its open transaction, then aborted)", visible, all, all - visible));
        }
    }

    static MusicEvent play(MusicEvent like, String track, Instant at) {
        return play(like, like.userId(), track, at);
    }

    static MusicEvent play(MusicEvent like, String user, String track, Instant at) {
        return new MusicEvent(EventType.TRACK_PLAYBACK, user, like.platformToken(), like.ipv4(), like.country(), track, null, null, null,
                null, at.toEpochMilli());
    }

    static MusicEvent skip(MusicEvent like, String user, String from, String to, Instant at) {
        return new MusicEvent(EventType.SKIPPING_TRACK_NEXT, user, like.platformToken(), like.ipv4(), like.country(), null, from, to,
                null, null, at.toEpochMilli());
    }

    static Map<String, SkipCounts> sessionsOf(StreamsApp app, String user) {
        Map<String, SkipCounts> mine = new TreeMap<>();
        app.localSessions().forEach((k, v) -> {
            if (k.startsWith(user + "@")) {
                mine.put(k, v);
            }
        });
        return mine;
    }

    static void awaitBoth(StreamsApp a, StreamsApp b, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (a.assignment().active().isEmpty() || b.assignment().active().isEmpty()
                || a.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING
                || b.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
            a.checkAlive();
            b.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new LabException("The two instances did not share the tasks within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        b.awaitRunning(timeout);
    }

    static void awaitAll(StreamsApp a, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (a.assignment().active().size() < 6 || a.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
            a.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new LabException("instance-a did not take every task back within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        a.awaitRunning(timeout);
    }

    static String tracks(JsonNode answer) {
        List<String> t = new ArrayList<>();
        answer.path("tracks").forEach(x -> {
            String track = x.path("track").asText();
            t.add(track.substring(0, Math.min(8, track.length())) + "... " + x.path("plays").asLong());
        });
        return String.join(", ", t);
    }

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** Every record of a topic, with the given reader settings (isolation level), partition by partition. */
    static List<ConsumerRecord<String, String>> read(LabConfig lab, String topic, Properties readerSettings) {
        return LabTopics.readAll(lab, topic, readerSettings, Duration.ofSeconds(60));
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        return r.headers().lastHeader(name) == null ? "" : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static String relative(Path p) {
        Path here = Path.of("").toAbsolutePath();
        return p.toAbsolutePath().startsWith(here) ? here.relativize(p.toAbsolutePath()).toString() : p.toString();
    }

    /** Earlier runs' state (a run stopped with Ctrl-C leaves its folder): lesson 11's own folders (named {@code prefix...}) only. */
    static void deleteOldRuns(Path stateRoot, String prefix) throws Exception {
        if (Files.isDirectory(stateRoot)) {
            try (Stream<Path> dirs = Files.list(stateRoot)) {
                for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
                    deleteTree(d);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
