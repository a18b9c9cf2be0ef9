-- Daily numerators and denominators for every unit at every level. Grid rows are the breakdown
-- marts summed over their dimensions (so each measure is defined once, there); every higher
-- level is the sum of its grids, so rates roll up exactly.
-- One row per (unit_code, day) with any activity; measures are additive counts and sums
-- (durations in seconds, so every measure is an exact integer).
CREATE TABLE grid_daily AS
WITH apps AS (
    SELECT grid_code, day, sum(COLUMNS(* EXCLUDE (grid_code, day, channel, applicant_type, item_id, dept_code)))
    FROM services_daily GROUP BY ALL
), events AS (
    SELECT grid_code, day, sum(COLUMNS(* EXCLUDE (grid_code, day, source, category, dept_code)))
    FROM events_daily GROUP BY ALL
), vitals AS (
    SELECT grid_code, day, sum(readings) AS vital_readings, sum(breaches) AS vital_breaches
    FROM vitals_daily GROUP BY ALL
)
SELECT grid_code, day, CAST(coalesce(COLUMNS(* EXCLUDE (grid_code, day)), 0) AS BIGINT)
FROM apps FULL JOIN events USING (grid_code, day) FULL JOIN vitals USING (grid_code, day);

CREATE TABLE unit_daily AS
SELECT CAST(a.ancestor_level AS TINYINT) AS unit_level, a.ancestor_code AS unit_code, g.day,
       CAST(sum(COLUMNS(g.* EXCLUDE (grid_code, day))) AS BIGINT)
FROM grid_daily g JOIN grid_ancestors a USING (grid_code)
GROUP BY ALL
ORDER BY unit_level, unit_code, day;
