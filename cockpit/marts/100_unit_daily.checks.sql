-- Checks of 100_unit_daily.sql: each query returns the failing rows (none = pass).

-- check: grid_daily_grain_unique
SELECT grid_code, day, count(*) AS n FROM grid_daily GROUP BY ALL HAVING count(*) > 1;

-- check: grid_daily_keys_not_null
SELECT * FROM grid_daily WHERE grid_code IS NULL OR day IS NULL;

-- check: grid_daily_totals_match_records
-- Grid rows are the records' measures summed: nothing lost or doubled by the joins.
-- (A source with no records, as imported data without applications, sums to 0 on both sides.)
SELECT g.*, s.apps AS records_apps, e.events AS records_events, v.readings AS vitals_readings
FROM (SELECT coalesce(sum(apps), 0) AS apps, coalesce(sum(events), 0) AS events,
             coalesce(sum(vital_readings), 0) AS readings FROM grid_daily) g,
     (SELECT coalesce(sum(apps), 0) AS apps FROM application_measures) s,
     (SELECT coalesce(sum(events), 0) AS events FROM event_measures) e,
     (SELECT coalesce(sum(readings), 0) AS readings FROM vitals_daily) v
WHERE g.apps <> s.apps OR g.events <> e.events OR g.readings <> v.readings;

-- check: unit_daily_grain_unique
SELECT unit_code, day, count(*) AS n FROM unit_daily GROUP BY ALL HAVING count(*) > 1;

-- check: unit_daily_keys_not_null
SELECT * FROM unit_daily WHERE unit_level IS NULL OR unit_code IS NULL OR day IS NULL;

-- check: unit_daily_units_known
-- Every row is a unit of the units table, at that unit's level.
SELECT d.unit_level, d.unit_code, u.unit_level AS units_level
FROM (SELECT DISTINCT unit_level, unit_code FROM unit_daily) d LEFT JOIN units u USING (unit_code)
WHERE u.unit_level IS DISTINCT FROM d.unit_level;

-- check: unit_daily_days_in_calendar
-- Day types (workday, weekend, holiday) come from the calendar.
SELECT DISTINCT day FROM unit_daily WHERE day NOT IN (SELECT day FROM calendar);

-- check: unit_daily_levels_add_up
-- For every stored parent (units.parent_code) and day, each measure equals the sum over its
-- stored children; a parent row without children, or children without a parent row, fail too.
-- (The deepest stored level is its grids summed; the levels below it are summed from grid_daily
-- when asked, so they add up by construction.)
-- Each side's measures are one list (in unit_daily's column order), so new measures are
-- checked too; joining the children's sums to the parents costs a third less than EXCEPT.
WITH children AS (
    SELECT u.parent_code AS unit_code, d.day, sum(COLUMNS(d.* EXCLUDE (unit_level, unit_code, day)))
    FROM unit_daily d JOIN units u USING (unit_code)
    WHERE d.unit_level > 1
    GROUP BY ALL
), summed AS (
    SELECT unit_code, day, [*COLUMNS(* EXCLUDE (unit_code, day))]::BIGINT[] AS measures FROM children
), parents AS (
    SELECT unit_code, day, [*COLUMNS(* EXCLUDE (unit_level, unit_code, day))] AS measures
    FROM unit_daily WHERE unit_level < (SELECT max(unit_level) FROM unit_daily)
)
SELECT unit_code, day, p.measures AS parent, s.measures AS sum_of_children
FROM parents p FULL JOIN summed s USING (unit_code, day)
WHERE p.measures IS DISTINCT FROM s.measures;

-- check: unit_daily_levels_hold_every_grid
-- Every stored level holds every record placed in a grid once (per measure, over all days).
WITH grids AS (
    SELECT [*COLUMNS(*)]::BIGINT[] AS measures
    FROM (SELECT sum(COLUMNS(* EXCLUDE (grid_code, day))) FROM grid_daily
          WHERE grid_code IN (SELECT grid_code FROM grid_ancestors))
), levels AS (
    SELECT unit_level, [*COLUMNS(* EXCLUDE (unit_level))]::BIGINT[] AS measures
    FROM (SELECT unit_level, sum(COLUMNS(* EXCLUDE (unit_level, unit_code, day))) FROM unit_daily GROUP BY ALL)
)
SELECT l.unit_level, l.measures AS stored, g.measures AS grids
FROM levels l, grids g
WHERE l.measures IS DISTINCT FROM g.measures;

-- check: unit_daily_counts_non_negative
SELECT * FROM unit_daily WHERE least(*COLUMNS(* EXCLUDE (unit_level, unit_code, day))) < 0;

-- check: unit_daily_rates_within_0_1
-- Every rate of the KPI catalogue (numerator / denominator) lies between 0 and 1, and every
-- denominator within its total.
SELECT * FROM unit_daily
WHERE apps_online > apps OR apps_full_online > apps OR apps_cross_district > apps
   OR apps_completed > apps OR apps_on_time > apps_completed
   OR apps_rated > apps OR apps_rated_good > apps_rated
   OR events_closed > events OR events_closed_on_time > events_closed OR events_proactive > events
   OR hotline_events > events OR events_repeat > hotline_events
   OR hotline_rated > events OR hotline_satisfied > hotline_rated
   OR vital_breaches > vital_readings;
