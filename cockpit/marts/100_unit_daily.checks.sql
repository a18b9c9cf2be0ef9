-- Checks of 100_unit_daily.sql: each query returns the failing rows (none = pass).

-- check: grid_daily_grain_unique
SELECT grid_code, day, count(*) AS n FROM grid_daily GROUP BY ALL HAVING count(*) > 1;

-- check: grid_daily_keys_not_null
SELECT * FROM grid_daily WHERE grid_code IS NULL OR day IS NULL;

-- check: grid_daily_totals_match_breakdowns
-- Grid rows are the breakdown marts summed: nothing lost or doubled by the joins.
SELECT g.*, s.apps AS services_apps, e.events AS events_events, v.readings AS vitals_readings
FROM (SELECT sum(apps) AS apps, sum(events) AS events, sum(vital_readings) AS readings FROM grid_daily) g,
     (SELECT sum(apps) AS apps FROM services_daily) s,
     (SELECT sum(events) AS events FROM events_daily) e,
     (SELECT sum(readings) AS readings FROM vitals_daily) v
WHERE g.apps IS DISTINCT FROM s.apps OR g.events IS DISTINCT FROM e.events OR g.readings IS DISTINCT FROM v.readings;

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
-- For every parent (units.parent_code) and day, each measure equals the sum over its children,
-- at every level; a parent row without children, or children without a parent row, fail too.
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
    FROM unit_daily WHERE unit_level < 5
)
SELECT unit_code, day, p.measures AS parent, s.measures AS sum_of_children
FROM parents p FULL JOIN summed s USING (unit_code, day)
WHERE p.measures IS DISTINCT FROM s.measures;

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
