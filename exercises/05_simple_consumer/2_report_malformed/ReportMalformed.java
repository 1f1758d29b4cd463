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
            // TODO 05.2.1: report it with summary.malformed(partition, offset, reason): the record knows where it is,
            //  the exception says why. Then return, so the loop goes on to the next record.
            Todo.todo("05.2", 1, "report the malformed message with its partition and offset, and go on");
            return;
        } catch (RuntimeException e) {
            // TODO 05.2.2: any other exception is a bug in the parser (like the StringIndexOutOfBoundsException that
            //  stopped the course's own consumer at "user_id":"u1"). Report that message too, naming the exception,
            //  rather than dying at this offset on every restart.
            Todo.todo("05.2", 2, "report a message the parser crashed on, naming the exception, and go on");
            return;
        }
        summary.event(record, event);
    }
}
