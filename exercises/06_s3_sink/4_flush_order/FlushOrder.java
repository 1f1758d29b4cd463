//SOURCES ../../../lab/lake/SinkRules.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Exercise 06.4: the flush order that survives a crash.
 *
 * <p>When a batch is cut, the sink makes it durable in three steps, which the engine does for you:
 * <ul>
 *   <li>{@code f.storeAll()}: writes every object of the batch to S3 (and waits until S3 has them);</li>
 *   <li>{@code f.awaitDeadLetters()}: waits until Kafka has acknowledged the batch's dead letters (06.5);</li>
 *   <li>{@code f.commit()}: commits the batch's end offset, so the group never reads these records again.</li>
 * </ul>
 * The process can die between any two lines (a deploy, an OOM kill, a power cut). Ask of each order: what does the
 * restarted sink find? A commit is a promise that everything below the offset is safe; it may only be made once that
 * is true. A store that happens twice is harmless (06.3: the same name is an overwrite). A commit made too early
 * loses the records it covers - the original project's auto-commit did exactly that, on a timer.
 *
 * <p>The tests crash the sink at these points and restart it, then count the rows and the committed offsets.
 * Check it: {@code ./jbang course verify 06.4}
 */
public class FlushOrder implements SinkRules.Order {
    @Override
    public void flush(SinkRules.Flush f) {
        // TODO 06.4.1: call f.storeAll(), f.awaitDeadLetters() and f.commit(), in the order that loses nothing
        //              and doubles nothing when the process dies between any two of them.
        Todo.todo("06.4", 1, "store, await the dead letters and commit, in the order that survives a crash, in FlushOrder.flush");
    }
}
