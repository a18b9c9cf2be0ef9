-- City-operation events (事件/工单) as the marts count them. Same rules as applications
-- (duplicates, missing unit, future-dated), and one more: a close time before the report time
-- is impossible, so such an event counts as an event but its closure is treated as unknown.
-- Kept lean like the applications (020_stg_applications.sql): times to the second, ordered by
-- district, then time; the events breakdowns are summed from these records when a page asks.
CREATE TABLE stg_events AS
SELECT e.event_id, e.grid_code, CAST(e.report_time AS DATE) AS day,
       CAST(e.report_time AS TIMESTAMP_S) AS report_time, CAST(e.register_time AS TIMESTAMP_S) AS register_time,
       CAST(e.dispatch_time AS TIMESTAMP_S) AS dispatch_time, CAST(e.dispose_time AS TIMESTAMP_S) AS dispose_time,
       CAST(e.check_time AS TIMESTAMP_S) AS check_time,
       CAST(CASE WHEN e.close_time >= e.report_time THEN e.close_time END AS TIMESTAMP_S) AS close_time,
       CAST(e.deadline AS TIMESTAMP_S) AS deadline, CAST(e.ingested_at AS TIMESTAMP_S) AS ingested_at, CAST(e.source AS VARCHAR) AS source, e.category, e.dept_code,
       e.reporter_phone, e.lon, e.lat, CAST(e.status AS VARCHAR) AS status, e.is_repeat, e.rating,
       e.close_time >= e.report_time AND e.close_time <= e.deadline AS is_closed_on_time
FROM raw_events e LEFT JOIN grid_ancestors d ON d.grid_code = e.grid_code AND d.ancestor_level = 2
WHERE e.grid_code IS NOT NULL AND e.report_time <= e.ingested_at
QUALIFY row_number() OVER (PARTITION BY e.event_id ORDER BY e.ingested_at DESC) = 1
ORDER BY d.ancestor_code, e.report_time;

-- The operations measures of one event: unit_daily's event columns are their sums, and so is
-- every breakdown (queries/events_breakdown.sql). Durations in seconds: to closure, and the
-- time spent reaching each lifecycle stage from the one before (0 when it was not reached).
CREATE VIEW event_measures AS
SELECT event_id, grid_code, day, source, category, dept_code,
       CAST(close_time AS DATE) AS done_day,  -- as application_measures.done_day
       1 AS events,
       CAST(coalesce(status <> 'closed', false) AS INTEGER) AS events_open,  -- as events_open counts them
       CAST(coalesce(source IN ('grid_patrol', 'iot', 'video_ai'), false) AS INTEGER) AS events_proactive,
       CAST(close_time IS NOT NULL AS INTEGER) AS events_closed,
       CAST(coalesce(is_closed_on_time, false) AS INTEGER) AS events_closed_on_time,
       coalesce(date_diff('second', report_time, close_time), 0) AS events_close_seconds,
       -- the hotline's own measures count hotline tickets only, whatever other sources carry
       -- (a city's import may rate or mark repeats elsewhere): each numerator within its denominator
       CAST(coalesce(source = 'hotline' AND is_repeat, false) AS INTEGER) AS events_repeat,
       CAST(coalesce(source = 'hotline', false) AS INTEGER) AS hotline_events,
       CAST(coalesce(source = 'hotline' AND rating IS NOT NULL, false) AS INTEGER) AS hotline_rated,
       CAST(coalesce(source = 'hotline' AND rating >= 4, false) AS INTEGER) AS hotline_satisfied,
       CAST(register_time IS NOT NULL AS INTEGER) AS reached_register,
       CAST(dispatch_time IS NOT NULL AS INTEGER) AS reached_dispatch,
       CAST(dispose_time IS NOT NULL AS INTEGER) AS reached_dispose,
       CAST(check_time IS NOT NULL AS INTEGER) AS reached_check,
       coalesce(date_diff('second', report_time, register_time), 0) AS stage_register_seconds,
       coalesce(date_diff('second', register_time, dispatch_time), 0) AS stage_dispatch_seconds,
       coalesce(date_diff('second', dispatch_time, dispose_time), 0) AS stage_dispose_seconds,
       coalesce(date_diff('second', dispose_time, check_time), 0) AS stage_check_seconds,
       coalesce(date_diff('second', check_time, close_time), 0) AS stage_close_seconds
FROM stg_events;

-- As application_measures_at: the events' measures as they stood at the end of `cutoff`.
CREATE MACRO event_measures_at(cutoff) AS TABLE
SELECT * REPLACE (
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN events_closed ELSE 0 END AS events_closed,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN events_closed_on_time ELSE 0 END AS events_closed_on_time,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN events_close_seconds ELSE 0 END AS events_close_seconds,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN hotline_rated ELSE 0 END AS hotline_rated,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN hotline_satisfied ELSE 0 END AS hotline_satisfied)
FROM event_measures;

-- Open events (status not closed) at the data cut, the latest ingestion: a snapshot, not a
-- daily series. A closed event with an impossible close time is closed, not open.
CREATE TABLE events_open AS
WITH cut AS (SELECT max(ingested_at) AS at FROM stg_events)
SELECT grid_code, source, category,
       count(*) AS open_events,
       count(*) FILTER (deadline < cut.at) AS overdue_events
FROM stg_events, cut
WHERE status <> 'closed'
GROUP BY ALL
ORDER BY grid_code;
