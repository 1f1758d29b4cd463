//SOURCES ../../../lab/kafka/TypedConsumer.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Exercise 05.2 — report a malformed message with its partition and offset, and go on.
 *
 * The consumer loop (lab/kafka/TypedConsumer) polls, hands every record to handle() below, and commits after each
 * batch. A message that is no event must not stop it. The original project's error check compared an error code
 * with a class, so it never fired; and a consumer that throws on a bad message dies at the same offset on every
 * restart, with everything behind it waiting. Say where the message is (partition, offset) and why it is no event,
 * then let the loop go on to the next record.
 *
 * Check it: ./jbang course verify 05.2
 */
public class ReportMalformed implements TypedConsumer.Handler {
    @Override
    public void handle(ConsumerRecord<String, byte[]> record, TypedConsumer.Parser parser, TypedConsumer.Summary summary) {
        MusicEvent event;
        try {
            event = parser.parse(record.value());
        } catch (MalformedEventException e) {
            // where it is and why: enough for someone to find it with kafka-console-consumer and look
            summary.malformed(record.partition(), record.offset(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            // a parser bug is reported like a bad message: one message skipped, not the whole stream stopped
            summary.malformed(record.partition(), record.offset(), "the parser failed: " + e);
            return;
        }
        summary.event(record, event);
    }
}
