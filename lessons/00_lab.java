///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/embedded/EmbeddedLab.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/lake/LabS3.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/00_lab/1_describe_cluster/DescribeCluster.java ../solutions/00_lab/2_ensure_bucket/EnsureBucket.java ../solutions/00_lab/3_create_topic/CreateTopic.java
//MAIN LabLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller=error -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 00 — the lab. What runs where, and a first proof that it works: a message through Kafka and an
 * object through S3. With no lab running, this lesson starts the embedded one and keeps it running.
 *
 *   ./jbang lesson00
 */
class LabLesson {
    public static void main(String[] args) throws Exception {
        Lesson.run("00", LabLesson::run);
    }

    static int run(LabConfig lab) throws Exception {
        Lesson.step(1, "Where the lab should be");
        Lesson.say("Every lesson reads its endpoints from the environment (KAFKA_BOOTSTRAP_SERVERS, S3_ENDPOINT, ...).");
        Lesson.say("Unset, they default to the ports of docker-compose.yml, which `./jbang lab up` uses too:");
        System.out.println(lab.describe());

        Lesson.step(2, "Is Kafka answering?");
        EmbeddedLab started = null;
        try {
            LabKafka.probe(lab, Duration.ofSeconds(3));
            Lesson.saw("A broker answers at " + lab.kafkaBootstrap() + ": using it.");
        } catch (LabException nothingThere) {
            if (!lab.kafkaIsLocalDefault()) {
                throw nothingThere;
            }
            Lesson.saw("Nothing answers at " + lab.kafkaBootstrap() + ".");
            Lesson.say("Starting the embedded lab in this JVM: a real Apache Kafka broker (KRaft mode, no ZooKeeper)");
            Lesson.say("and an S3 server (S3Proxy) on the docker compose ports. Data goes to .lab/ ...");
            started = EmbeddedLab.start(EmbeddedLab.Options.composePorts());
            Lesson.saw("Started in " + started.startMillis() + " ms.");
        }

        Lesson.step(3, "Ask Kafka who it is (the Admin client; exercise 00.1)");
        String topic = lab.topic("lab_check");
        try (Admin admin = LabKafka.admin(lab)) {
            DescribeCluster.Summary cluster = DescribeCluster.describe(admin);
            Lesson.saw("cluster id " + cluster.clusterId() + ", " + cluster.brokerCount()
                    + " broker(s), controller = node " + cluster.controllerId());
            Lesson.say("In KRaft mode the controller (the node that keeps the cluster's metadata) can be a broker");
            Lesson.say("itself: the lab runs one node doing both. Production clusters run 3 controllers apart.");

            Lesson.step(4, "A topic for the first message, created idempotently (exercise 00.3)");
            boolean created = CreateTopic.create(admin, topic, 1);
            Lesson.saw("CreateTopic.create(\"" + topic + "\", 1 partition) -> " + created + ": "
                    + (created ? "the topic was missing, the controller created it"
                               : "the topic was there already (an earlier run made it); TopicExistsException is no error here"));
            Lesson.say(created ? "Run this lesson again: the same call finds the topic and answers false, with no error."
                               : "No error: a program may ask for its topics every time it starts (idempotent).");
        }
        // a new partition gets its leader a moment after the create returns: the lab waits for it before producing
        LabKafka.ensureTopic(lab, topic, 1);

        Lesson.step(5, "A first message through Kafka");
        String text = "hello from lesson 00 at " + java.time.Instant.now();
        long t0 = System.nanoTime();
        RecordMetadata written;
        Properties producerProps = lab.kafkaProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            written = producer.send(new ProducerRecord<>(topic, text)).get();
        }
        Lesson.saw("wrote  \"" + text + "\" -> " + topic + " partition " + written.partition() + ", offset " + written.offset());
        Properties consumerProps = lab.kafkaProperties();
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            TopicPartition tp = new TopicPartition(topic, written.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, written.offset());
            ConsumerRecord<String, String> read = null;
            while (read == null) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read = r;
                }
            }
            Lesson.saw("read   \"" + read.value() + "\" <- offset " + read.offset() + " ("
                    + (System.nanoTime() - t0) / 1_000_000 + " ms for the round trip)");
        }
        Lesson.say("The message stays in the topic after it was read: Kafka is a log, written once and read");
        Lesson.say("as often as anyone likes. " + (written.offset() == 0 ? "Offset 0: the partition was empty before."
                : "Offset " + written.offset() + ": " + written.offset() + " message(s) of earlier runs are still before it.")
                + " Each run appends one more.");

        Lesson.step(6, "S3: the bucket the course writes to, created when missing (exercise 00.2)");
        String key = lab.s3Key("lab-check/hello.txt");
        try (MinioClient s3 = LabS3.client(lab)) {
            List<String> buckets = LabS3.probe(lab);
            Lesson.saw("buckets: " + buckets);
            boolean created = EnsureBucket.ensure(s3, lab.bucket());
            Lesson.saw("EnsureBucket.ensure(\"" + lab.bucket() + "\") -> " + created + ": "
                    + (created ? "it was missing, so it was created" : "it was there, nothing created"));
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            s3.putObject(PutObjectArgs.builder().bucket(lab.bucket()).object(key)
                    .stream(new java.io.ByteArrayInputStream(body), body.length, -1).build());
            try (var in = s3.getObject(GetObjectArgs.builder().bucket(lab.bucket()).object(key).build())) {
                Lesson.saw("put and got back s3://" + lab.bucket() + "/" + key + ": \""
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\"");
            }
        }

        Lesson.step(7, "What next");
        Lesson.say("Your exercises: exercises/00_lab/ - 1_describe_cluster, 2_ensure_bucket, 3_create_topic.");
        Lesson.say("Check one: ./jbang course verify 00.1");
        Lesson.say("Kafka's own CLI works here too: ./jbang kafka-topics --bootstrap-server " + lab.kafkaBootstrap() + " --list");
        if (started == null) {
            Lesson.say("Next lesson: ./jbang lesson01");
            return 0;
        }
        Lesson.finished("00"); // every step ran: ./jbang course stops offering this lesson
        Lesson.say("The lab keeps running in this window. In another terminal: ./jbang lesson01");
        Lesson.say("Ctrl-C here stops it; its data stays in .lab/ for `./jbang lab up`.");
        EmbeddedLab lab0 = started;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the lab ...");
            lab0.close();
            System.out.println("Stopped. Data kept in .lab/");
        }));
        Thread.currentThread().join();
        return 0;
    }
}
