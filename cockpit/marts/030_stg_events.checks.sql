-- Checks of 030_stg_events.sql: each query returns the failing rows (none = pass).

-- check: stg_events_grain_unique
-- One row per event: a re-sent record is counted once.
SELECT event_id, count(*) AS n FROM stg_events GROUP BY event_id HAVING count(*) > 1;

-- check: stg_events_keys_not_null
SELECT event_id, grid_code, report_time, day FROM stg_events
WHERE event_id IS NULL OR grid_code IS NULL OR report_time IS NULL OR day IS NULL;

-- check: stg_events_not_future_dated
SELECT event_id, report_time, ingested_at FROM stg_events WHERE NOT report_time <= ingested_at;

-- check: stg_events_close_after_report
-- An impossible close time is treated as unknown, so closing never takes negative time.
SELECT event_id, report_time, close_time, close_seconds FROM stg_events
WHERE close_time < report_time OR close_seconds < 0 OR (close_time IS NULL) <> (close_seconds IS NULL);
