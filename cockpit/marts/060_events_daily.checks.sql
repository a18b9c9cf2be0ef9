-- Checks of 060_events_daily.sql: each query returns the failing rows (none = pass).

-- check: events_daily_grain_unique
SELECT day, grid_code, source, category, dept_code, count(*) AS n
FROM events_daily GROUP BY ALL HAVING count(*) > 1;

-- check: events_daily_keys_not_null
SELECT * FROM events_daily WHERE day IS NULL OR grid_code IS NULL;

-- check: events_daily_counts_within_totals
-- Every count lies between 0 and its total, so each rate made of them lies between 0 and 1;
-- durations are never negative.
SELECT * FROM events_daily
WHERE NOT (events >= 1
           AND least(events_close_seconds, stage_register_seconds, stage_dispatch_seconds,
                     stage_dispose_seconds, stage_check_seconds, stage_close_seconds) >= 0
           AND events_proactive BETWEEN 0 AND events AND events_closed BETWEEN 0 AND events
           AND events_closed_on_time BETWEEN 0 AND events_closed
           AND hotline_events BETWEEN 0 AND events AND events_repeat BETWEEN 0 AND hotline_events
           AND hotline_rated BETWEEN 0 AND events AND hotline_satisfied BETWEEN 0 AND hotline_rated
           AND reached_register BETWEEN 0 AND events AND reached_dispatch BETWEEN 0 AND events
           AND reached_dispose BETWEEN 0 AND events AND reached_check BETWEEN 0 AND events);

-- check: events_open_grain_unique
SELECT grid_code, source, category, count(*) AS n FROM events_open GROUP BY ALL HAVING count(*) > 1;

-- check: events_open_counts
SELECT * FROM events_open
WHERE grid_code IS NULL OR NOT (open_events >= 1 AND overdue_events BETWEEN 0 AND open_events);
