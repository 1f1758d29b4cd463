-- Lesson 08, step 2: one table for every message a Kafka table could not parse.
--
-- With kafka_handle_error_mode = 'stream' a Kafka table does not stop at a broken message: it hands the message on
-- with two extra virtual columns, _error (why it failed; empty for a good message) and _raw_message (its bytes).
-- The pipelines of steps 3 and 4 send the good ones to their tables and the broken ones here, so the stream goes
-- on and nothing is lost silently. (Never add kafka_skip_broken_messages to stream mode: the broken messages
-- then vanish without a trace.)
-- No placeholders in this file.

CREATE TABLE IF NOT EXISTS kafka_errors
(
    received_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    kafka_topic     LowCardinality(String),
    kafka_partition UInt64,
    kafka_offset    UInt64,
    error           String,
    raw_message     String
)
ENGINE = MergeTree
ORDER BY (kafka_topic, kafka_partition, kafka_offset);
