-- Lesson 09, step 3: the lake and the Kafka-engine table of lesson 08 hold the same events, type by type.
--
-- Needs the view of 09_1_lake.sql and the table music_events of lesson 08 (sql/08_4_music_events.sql and its
-- materialized view), both fed from the same topic. No placeholders.
-- Two roads from one topic: the sink's Parquet files (lesson 06) and ClickHouse's own consumer (lesson 08).
-- If a count differs, one of them lost or doubled events.

SELECT event_type,
       lake.events   AS in_lake,
       engine.events AS in_kafka_engine
FROM (SELECT event_type, count() AS events FROM music_events_lake GROUP BY event_type) AS lake
FULL OUTER JOIN (SELECT toString(event_type) AS event_type, count() AS events FROM music_events GROUP BY event_type) AS engine
    USING (event_type)
ORDER BY event_type;
