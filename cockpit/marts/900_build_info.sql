-- Freshness per source: the latest record time and the latest ingestion time.
CREATE TABLE source_freshness AS
SELECT 'applications' AS source, CAST(max(submit_time) AS TIMESTAMP) AS latest_record,
       CAST(max(ingested_at) AS TIMESTAMP) AS latest_ingest,
       count(*) AS rows FROM stg_applications
UNION ALL
SELECT 'events', max(report_time), max(ingested_at), count(*) FROM stg_events
UNION ALL
SELECT 'readings', max(ts), max(ts), count(*) FROM stg_readings;

-- Measures the data cannot give: a source with records none of which has the field the measure
-- counts (a city's export has no "full online" flag, no repeat mark). Pages show their KPIs as
-- no data, never as 0 (views.rollup).
CREATE TABLE unknown_measures AS
SELECT measure FROM (
    SELECT 'apps_full_online' AS measure, count(*) > 0 AND count(is_full_online) = 0 AS unknown FROM stg_applications
    UNION ALL SELECT 'apps_cross_district', count(*) > 0 AND count(is_cross_district) = 0 FROM stg_applications
    UNION ALL SELECT 'events_repeat', count(*) > 0 AND count(is_repeat) = 0 FROM stg_events
) WHERE unknown;
