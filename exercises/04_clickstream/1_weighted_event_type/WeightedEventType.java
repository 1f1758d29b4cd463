//SOURCES ../../../lab/events/Clickstream.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Exercise 04.1 — draw an event type by the original project's weights.
 *
 * The music service's events are not equally likely: 35% are track_playback, 15% pause_track, ... 4% track_unlike
 * (EventType.weight; they add up to 1). The generator (lab/events/Clickstream) hands you u, drawn uniformly from
 * [0, 1), and takes the type you return. Lay the weights end to end on [0, 1): track_playback owns [0, 0.35),
 * pause_track [0.35, 0.50), and so on; the type whose stretch holds u is the draw. Each type then comes up as often
 * as its stretch is long.
 *
 * Check it: ./jbang course verify 04.1
 */
public final class WeightedEventType implements Clickstream.TypeDraw {
    @Override
    public EventType draw(double u) {
        // TODO 04.1.1: walk EventType.values() in order, adding up the weights: the first type whose running total
        //  is above u is the draw (u = 0.1 gives track_playback, u = 0.4 pause_track, u = 0.97 track_unlike).
        Todo.todo("04.1", 1, "return the type whose stretch of [0, 1) holds u");
        throw new IllegalArgumentException("u = " + u + " is not in [0, 1)");
    }
}
