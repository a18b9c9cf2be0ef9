-- Government services by day and lowest unit, broken down by channel, applicant type, item and
-- department: the breakdowns of the services page, summed under any unit's code prefix.
-- Measures are the same additive counts as unit_daily's apps_* columns.
CREATE TABLE services_daily AS
SELECT day, grid_code, channel, applicant_type, item_id, dept_code,
       count(*) AS apps,
       count(*) FILTER (is_online) AS apps_online,
       count(*) FILTER (is_full_online) AS apps_full_online,
       count(*) FILTER (is_cross_district) AS apps_cross_district,
       count(*) FILTER (is_completed) AS apps_completed,
       count(*) FILTER (is_on_time) AS apps_on_time,
       CAST(coalesce(sum(handling_seconds) FILTER (is_completed), 0) AS BIGINT) AS apps_handling_seconds,
       count(rating) AS apps_rated,
       count(*) FILTER (rating >= 4) AS apps_rated_good
FROM stg_applications
GROUP BY ALL
ORDER BY day, grid_code;

-- Handling time histogram in whole hours (completed applications), for quantiles such as p90
-- at any level: quantiles do not add up, hour counts do.
CREATE TABLE handling_hours_daily AS
SELECT day, grid_code, CAST(handling_seconds // 3600 AS INTEGER) AS hour, count(*) AS apps
FROM stg_applications
WHERE is_completed
GROUP BY ALL
ORDER BY day, grid_code;

-- Rating reasons per item (ratings below 4 are complaints).
CREATE TABLE rating_reasons_daily AS
SELECT day, grid_code, item_id, rating_reason, rating >= 4 AS is_good, count(*) AS ratings
FROM stg_applications
WHERE rating IS NOT NULL
GROUP BY ALL
ORDER BY day, grid_code;
