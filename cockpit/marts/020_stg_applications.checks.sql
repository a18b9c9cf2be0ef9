-- Checks of 020_stg_applications.sql: each query returns the failing rows (none = pass).

-- check: stg_applications_grain_unique
-- One row per application: a re-sent record is counted once.
SELECT app_id, count(*) AS n FROM stg_applications GROUP BY app_id HAVING count(*) > 1;

-- check: stg_applications_keys_not_null
SELECT app_id, grid_code, submit_time, day FROM stg_applications
WHERE app_id IS NULL OR grid_code IS NULL OR submit_time IS NULL OR day IS NULL;

-- check: stg_applications_not_future_dated
SELECT app_id, submit_time, ingested_at FROM stg_applications WHERE NOT submit_time <= ingested_at;

-- check: application_measures_within_totals
-- Per application every count is 0 or 1 and within its total, and handling takes no negative
-- time: so every sum of them, at any level and by any dimension, lies within its totals, and
-- each rate made of them between 0 and 1.
SELECT * FROM application_measures
WHERE NOT (apps = 1 AND apps_handling_seconds >= 0 AND apps_open IN (0, 1)
           AND apps_online IN (0, 1) AND apps_full_online IN (0, 1) AND apps_cross_district IN (0, 1)
           AND apps_completed IN (0, 1) AND apps_on_time BETWEEN 0 AND apps_completed
           AND apps_rated IN (0, 1) AND apps_rated_good BETWEEN 0 AND apps_rated
           AND (done_day IS NULL) = (apps_completed = 0) AND apps_completed + apps_open <= 1);
