-- Checks of 050_services_daily.sql: each query returns the failing rows (none = pass).

-- check: services_daily_grain_unique
SELECT day, grid_code, channel, applicant_type, item_id, dept_code, count(*) AS n
FROM services_daily GROUP BY ALL HAVING count(*) > 1;

-- check: services_daily_keys_not_null
SELECT * FROM services_daily WHERE day IS NULL OR grid_code IS NULL;

-- check: services_daily_counts_within_totals
-- Every count lies between 0 and its total, so each rate made of them lies between 0 and 1.
SELECT * FROM services_daily
WHERE NOT (apps >= 1 AND apps_handling_seconds >= 0
           AND apps_online BETWEEN 0 AND apps AND apps_full_online BETWEEN 0 AND apps
           AND apps_cross_district BETWEEN 0 AND apps AND apps_completed BETWEEN 0 AND apps
           AND apps_on_time BETWEEN 0 AND apps_completed
           AND apps_rated BETWEEN 0 AND apps AND apps_rated_good BETWEEN 0 AND apps_rated);

-- check: handling_hours_daily_grain_unique
SELECT day, grid_code, hour, count(*) AS n FROM handling_hours_daily GROUP BY ALL HAVING count(*) > 1;

-- check: handling_hours_daily_counts_completed
-- The histogram holds every completed application once, in a whole hour >= 0.
SELECT (SELECT sum(apps) FROM handling_hours_daily) AS in_histogram,
       (SELECT sum(apps_completed) FROM services_daily) AS completed,
       (SELECT count(*) FROM handling_hours_daily WHERE hour < 0 OR apps < 1) AS bad_rows
WHERE in_histogram IS DISTINCT FROM completed OR bad_rows > 0;

-- check: rating_reasons_daily_grain_unique
SELECT day, grid_code, item_id, rating_reason, is_good, count(*) AS n
FROM rating_reasons_daily GROUP BY ALL HAVING count(*) > 1;

-- check: rating_reasons_daily_counts_ratings
-- Every rated application once.
SELECT (SELECT sum(ratings) FROM rating_reasons_daily) AS in_reasons,
       (SELECT sum(apps_rated) FROM services_daily) AS rated,
       (SELECT count(*) FROM rating_reasons_daily WHERE ratings < 1) AS bad_rows
WHERE in_reasons IS DISTINCT FROM rated OR bad_rows > 0;
