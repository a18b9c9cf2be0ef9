-- Checks of 030_stg_events.sql: each query returns the failing rows (none = pass).

-- check: stg_events_grain_unique
-- One row per event: a re-sent record is counted once.
SELECT event_id, count(*) AS n FROM stg_events GROUP BY event_id HAVING count(*) > 1;

-- check: stg_events_keys_not_null
SELECT event_id, grid_code, report_time, day FROM stg_events
WHERE event_id IS NULL OR grid_code IS NULL OR report_time IS NULL OR day IS NULL;

-- check: stg_events_not_future_dated
SELECT event_id, report_time, ingested_at FROM stg_events WHERE NOT report_time <= ingested_at;

-- check: stg_events_close_after_report
-- An impossible close time is treated as unknown, so closing never takes negative time.
SELECT event_id, report_time, close_time FROM stg_events WHERE close_time < report_time;

-- check: event_measures_within_totals
-- Per event every count is 0 or 1 and within its total, and no stage takes negative time: so
-- every sum of them, at any level and by any dimension, lies within its totals, and each rate
-- made of them between 0 and 1.
SELECT * FROM event_measures
WHERE NOT (events = 1
           AND least(events_close_seconds, stage_register_seconds, stage_dispatch_seconds,
                     stage_dispose_seconds, stage_check_seconds, stage_close_seconds) >= 0
           AND events_proactive IN (0, 1) AND events_closed IN (0, 1) AND events_open IN (0, 1) AND events_open + events_closed <= 1
           AND (done_day IS NULL) = (events_closed = 0)
           AND events_closed_on_time BETWEEN 0 AND events_closed
           AND hotline_events IN (0, 1) AND events_repeat BETWEEN 0 AND hotline_events
           AND hotline_rated IN (0, 1) AND hotline_satisfied BETWEEN 0 AND hotline_rated
           AND reached_register IN (0, 1) AND reached_dispatch IN (0, 1)
           AND reached_dispose IN (0, 1) AND reached_check IN (0, 1));

-- check: events_open_grain_unique
SELECT grid_code, source, category, count(*) AS n FROM events_open GROUP BY ALL HAVING count(*) > 1;

-- check: events_open_counts
SELECT * FROM events_open
WHERE grid_code IS NULL OR NOT (open_events >= 1 AND overdue_events BETWEEN 0 AND open_events);
