//SOURCES ../events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
// Kafka Streams is lesson 11's alone: only scripts that source lab/streams/ carry it.
//DEPS org.apache.kafka:kafka-streams:4.1.1
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
//DEPS org.slf4j:slf4j-simple:2.0.17
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The course's one event model as a Kafka Streams Serde: {@link MusicEvent#toBytes()} out, {@link MusicEvent#parse}
 * in. A message that is not a music event throws a {@link SerializationException} carrying the reason, which Kafka
 * Streams hands to the application's deserialization exception handler ({@link DeadLetters}) instead of crashing.
 * A null value (a tombstone) stays null.
 */
public final class MusicEventSerde implements Serde<MusicEvent> {

    @Override
    public Serializer<MusicEvent> serializer() {
        return (topic, event) -> event == null ? null : event.toBytes();
    }

    @Override
    public Deserializer<MusicEvent> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return MusicEvent.parse(bytes);
            } catch (MalformedEventException e) {
                throw new SerializationException("not a music event: " + e.getMessage(), e);
            }
        };
    }
}
