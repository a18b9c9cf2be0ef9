-- Checks of 020_stg_applications.sql: each query returns the failing rows (none = pass).

-- check: stg_applications_grain_unique
-- One row per application: a re-sent record is counted once.
SELECT app_id, count(*) AS n FROM stg_applications GROUP BY app_id HAVING count(*) > 1;

-- check: stg_applications_keys_not_null
SELECT app_id, grid_code, submit_time, day FROM stg_applications
WHERE app_id IS NULL OR grid_code IS NULL OR submit_time IS NULL OR day IS NULL;

-- check: stg_applications_not_future_dated
SELECT app_id, submit_time, ingested_at FROM stg_applications WHERE NOT submit_time <= ingested_at;
