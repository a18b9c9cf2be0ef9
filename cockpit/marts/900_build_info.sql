-- Freshness per source: the latest record time and the latest ingestion time.
CREATE TABLE source_freshness AS
SELECT 'applications' AS source, CAST(max(submit_time) AS TIMESTAMP) AS latest_record,
       CAST(max(ingested_at) AS TIMESTAMP) AS latest_ingest,
       count(*) AS rows FROM stg_applications
UNION ALL
SELECT 'events', max(report_time), max(ingested_at), count(*) FROM stg_events
UNION ALL
SELECT 'readings', max(ts), max(ts), count(*) FROM stg_readings;
