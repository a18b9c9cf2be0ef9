-- Checks of 110_unit_done_daily.sql: each query returns the failing rows (none = pass).

-- check: unit_done_daily_grain_unique
SELECT unit_level, unit_code, day, done_day, count(*) AS n FROM unit_done_daily GROUP BY ALL HAVING count(*) > 1;

-- check: unit_done_daily_done_after_its_day
SELECT * FROM unit_done_daily WHERE done_day < day OR done_day IS NULL;

-- check: unit_done_daily_equals_the_done_records
-- At every level the sums equal the measures of the records done (as the view gives them; a
-- source without records sums to 0).
WITH levels AS (
    SELECT unit_level, [*COLUMNS(* EXCLUDE (unit_level))]::BIGINT[] AS measures
    FROM (SELECT unit_level, sum(COLUMNS(* EXCLUDE (unit_level, unit_code, day, done_day)))
          FROM unit_done_daily GROUP BY ALL)
), records AS (
    SELECT list_transform([sum(apps_completed), sum(apps_on_time), sum(apps_handling_seconds), sum(apps_rated),
            sum(apps_rated_good),
            (SELECT sum(events_closed) FROM event_measures WHERE done_day IS NOT NULL),
            (SELECT sum(events_closed_on_time) FROM event_measures WHERE done_day IS NOT NULL),
            (SELECT sum(events_close_seconds) FROM event_measures WHERE done_day IS NOT NULL),
            (SELECT sum(hotline_rated) FROM event_measures WHERE done_day IS NOT NULL),
            (SELECT sum(hotline_satisfied) FROM event_measures WHERE done_day IS NOT NULL)]::BIGINT[],
            lambda m: coalesce(m, 0)) AS measures
    FROM application_measures WHERE done_day IS NOT NULL
)
SELECT l.unit_level, l.measures, r.measures AS from_records FROM levels l, records r WHERE l.measures <> r.measures;
