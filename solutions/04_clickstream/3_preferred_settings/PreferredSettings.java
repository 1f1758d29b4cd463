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
        // a send succeeds only when every in-sync replica has it
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // retries never duplicate or reorder: the broker drops a batch it has already written
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // wait up to 20 ms to fill a batch: many events per request instead of one request per event
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        // room for ~150 events of ~400 bytes per partition and request
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        // JSON compresses well; lz4 is cheap on CPU, and whole batches compress better than single messages
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a broker that does not answer fails send() after 10 s instead of blocking for the default 60 s
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        // give up on a record after 30 s of retries (the default is 2 minutes); it must cover linger + one request
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        return props;
    }

    /**
     * The smallest delivery.timeout.ms Kafka accepts with these settings. A setting that is not there has Kafka's
     * default: ClickstreamProducer.setting(settings, name) gives either.
     */
    public static long minimumDeliveryTimeout(Properties settings) {
        // a record may wait linger.ms for its batch, then one request may take request.timeout.ms: delivery must cover both
        return Long.parseLong(ClickstreamProducer.setting(settings, ProducerConfig.LINGER_MS_CONFIG))
                + Long.parseLong(ClickstreamProducer.setting(settings, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
    }
}
