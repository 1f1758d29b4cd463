//SOURCES ../../../lab/kafka/ClickstreamProducer.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Exercise 04.3 — the preferred producer settings, and the constraint between delivery, linger and request timeouts.
 *
 * The original project sent each event and flushed: one network round trip per event. A clickstream wants the
 * opposite: many events per request, compressed together, sent without waiting, and still neither lost nor doubled
 * when a request is retried. The generator (lab/kafka/ClickstreamProducer) adds the servers and serializers to what
 * you return here. Kafka also checks one rule between three timeouts; minimumDeliveryTimeout() says what it is.
 *
 * Check it: ./jbang course verify 04.3
 */
public final class PreferredSettings {
    private PreferredSettings() {}

    public static Properties preferred() {
        Properties props = new Properties();
        // TODO 04.3.1: the preferred settings (ProducerConfig.*_CONFIG), each with a one-line comment saying why:
        //  - acks=all and idempotence on: a retry must neither lose nor double nor reorder an event
        //  - batching: linger.ms (e.g. 20) and batch.size (e.g. 64 KB), and a compression.type (lz4 or zstd)
        //  - fail fast when the broker is away: max.block.ms (e.g. 10 s), request.timeout.ms (e.g. 15 s), and a
        //    delivery.timeout.ms well under the default 2 minutes (e.g. 30 s) that Kafka accepts (see below)
        return Todo.todo("04.3", 1, "choose the preferred producer settings");
    }

    /**
     * The smallest delivery.timeout.ms Kafka accepts with these settings. A setting that is not there has Kafka's
     * default: ClickstreamProducer.setting(settings, name) gives either.
     */
    public static long minimumDeliveryTimeout(Properties settings) {
        // TODO 04.3.2: a record may wait linger.ms for its batch to fill, then its request may take request.timeout.ms;
        //  delivery.timeout.ms (the whole time a send may take, retries included) must cover both.
        return Todo.<Long>todo("04.3", 2, "compute the smallest delivery.timeout.ms Kafka accepts");
    }
}
