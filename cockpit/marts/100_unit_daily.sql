-- Daily numerators and denominators of every unit. Measures are additive counts and sums
-- (durations in seconds, so every measure is an exact integer), each defined once per record
-- (application_measures, event_measures) or per sensor and day (vitals_daily); every level is
-- the sum of its grids, so rates roll up exactly.
-- The measures of every grid and day with any activity (a view: below the streets a day holds
-- about one record per grid, so stored sums would cost as much as the records). Each source is
-- one branch of a union, so a filter on grid or day reaches the records' own row groups.
CREATE VIEW grid_daily AS
SELECT grid_code, day, CAST(coalesce(sum(COLUMNS(* EXCLUDE (grid_code, day))), 0) AS BIGINT)
FROM (SELECT * EXCLUDE (app_id, channel, applicant_type, item_id, dept_code, rating_reason, done_day) FROM application_measures
      UNION ALL BY NAME
      SELECT * EXCLUDE (event_id, source, category, dept_code, done_day) FROM event_measures
      UNION ALL BY NAME
      SELECT grid_code, day, readings AS vital_readings, breaches AS vital_breaches FROM vitals_daily)
GROUP BY grid_code, day;

-- The city, the districts and the streets, stored by day: the levels most pages read over long
-- periods, and few units (248 at `default` scale). Communities and grids are summed from
-- grid_daily when asked (queries/unit_days_from_grids.sql).
CREATE TABLE unit_daily AS
SELECT CAST(a.ancestor_level AS TINYINT) AS unit_level, a.ancestor_code AS unit_code, g.day,
       CAST(sum(COLUMNS(g.* EXCLUDE (grid_code, day))) AS BIGINT)
FROM grid_daily g JOIN grid_ancestors a USING (grid_code)
WHERE a.ancestor_level <= 3
GROUP BY ALL
ORDER BY unit_level, unit_code, day;
