-- Exercise 08.3: the errors view. Check it: ./jbang course verify 08.3
-- Runs after the Kafka table (08.1) and the typed view (08.2). Placeholders: none.
-- Like the typed view it reads music_events_raw: every message (raw) and where it came from (kafka_topic,
-- kafka_partition, kafka_offset).
--
-- Every message the typed view leaves out must land in kafka_errors (sql/08_2_kafka_errors.sql), with where it came
-- from and why, so the stream goes on and nothing is lost silently. music_event_error(raw) (sql/08_4_music_events.sql)
-- says why a message is no event, '' for a good one: the same verdict as the typed view's WHERE and as the Java
-- road's MusicEvent.parse. Keep the raw message, but at most 64 KiB of it: an error row must stay small.

CREATE MATERIALIZED VIEW music_events_errors_mv TO kafka_errors AS
SELECT kafka_topic,
       kafka_partition,
       kafka_offset,
       music_event_error(raw)        AS error,        -- why, in words
       substring(raw, 1, 65536)      AS raw_message   -- what it was, capped
FROM music_events_raw
WHERE music_event_error(raw) != '';                  -- exactly the messages the typed view leaves out
