-- Daily numerators and denominators for every unit at every level. Grid rows are summed from
-- the staged facts; every higher level is the sum of its grids, so rates roll up exactly.
-- One row per (unit_code, day) with any activity; measures are additive counts and sums
-- (durations in seconds, so every measure is an exact integer).
CREATE TABLE grid_daily AS
WITH apps AS (
    SELECT grid_code, day,
           count(*) AS apps,
           count(*) FILTER (is_online) AS apps_online,
           count(*) FILTER (is_full_online) AS apps_full_online,
           count(*) FILTER (is_cross_district) AS apps_cross_district,
           count(*) FILTER (is_completed) AS apps_completed,
           count(*) FILTER (is_on_time) AS apps_on_time,
           coalesce(sum(handling_seconds) FILTER (is_completed), 0) AS apps_handling_seconds,
           count(rating) AS apps_rated,
           count(*) FILTER (rating >= 4) AS apps_rated_good
    FROM stg_applications GROUP BY ALL
), events AS (
    SELECT grid_code, day,
           count(*) AS events,
           count(*) FILTER (is_proactive) AS events_proactive,
           count(*) FILTER (is_closed) AS events_closed,
           count(*) FILTER (is_closed_on_time) AS events_closed_on_time,
           coalesce(sum(close_seconds), 0) AS events_close_seconds,
           count(*) FILTER (is_repeat) AS events_repeat,
           count(*) FILTER (source = 'hotline') AS hotline_events,
           count(rating) AS hotline_rated,
           count(*) FILTER (rating >= 4) AS hotline_satisfied
    FROM stg_events GROUP BY ALL
), vitals AS (
    SELECT s.grid_code, r.day, count(*) AS vital_readings, count(*) FILTER (r.is_breach) AS vital_breaches
    FROM stg_readings r JOIN sensors s USING (sensor_id) GROUP BY ALL
)
SELECT grid_code, day, CAST(coalesce(COLUMNS(* EXCLUDE (grid_code, day)), 0) AS BIGINT)
FROM apps FULL JOIN events USING (grid_code, day) FULL JOIN vitals USING (grid_code, day);

CREATE TABLE unit_daily AS
SELECT CAST(a.ancestor_level AS TINYINT) AS unit_level, a.ancestor_code AS unit_code, g.day,
       CAST(sum(COLUMNS(g.* EXCLUDE (grid_code, day))) AS BIGINT)
FROM grid_daily g JOIN grid_ancestors a USING (grid_code)
GROUP BY ALL
ORDER BY unit_level, unit_code, day;
