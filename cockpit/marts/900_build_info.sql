-- Freshness per source: the latest record time and the latest ingestion time.
CREATE TABLE source_freshness AS
SELECT 'applications' AS source, max(submit_time) AS latest_record, max(ingested_at) AS latest_ingest,
       count(*) AS rows FROM stg_applications
UNION ALL
SELECT 'events', max(report_time), max(ingested_at), count(*) FROM stg_events
UNION ALL
SELECT 'readings', max(ts), max(ts), count(*) FROM stg_readings;
