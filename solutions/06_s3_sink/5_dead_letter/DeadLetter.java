//SOURCES ../../../lab/lake/SinkRules.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Exercise 06.5: a dead letter carrying the original bytes and headers that say why and from where.
 *
 * <p>A message that does not parse cannot go into the lake, and must not stop the sink (every restart would stop at
 * the same offset) or vanish (someone has to fix its producer). It goes to the dead-letter topic ({@code dlqTopic},
 * e.g. {@code music_events_dlq}), and the sink goes on. Whoever reads it later needs:
 * <ul>
 *   <li>the message exactly as it was: its key, its value bytes (not a re-encoded string: the bytes may not even
 *       be UTF-8), its headers - so that it can be replayed once the producer is fixed;</li>
 *   <li>why it was rejected, and where it came from: headers {@code dlq.error}, {@code dlq.source.topic},
 *       {@code dlq.source.partition}, {@code dlq.source.offset}, as UTF-8 text.</li>
 * </ul>
 * (The engine then makes sure the letter fits in a Kafka record: an oversized one is cut, saying what was cut.)
 *
 * <p>Check it: {@code ./jbang course verify 06.5}
 */
public class DeadLetter implements SinkRules.Letter {
    @Override
    public ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String error, String dlqTopic) {
        // the original key, bytes and headers, untouched (the headers are copied: the letter's own go on top)
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), record.headers());
        letter.headers().add("dlq.error", utf8(error));
        letter.headers().add("dlq.source.topic", utf8(record.topic()));
        letter.headers().add("dlq.source.partition", utf8(Integer.toString(record.partition())));
        letter.headers().add("dlq.source.offset", utf8(Long.toString(record.offset())));
        return letter;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
