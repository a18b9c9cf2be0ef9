-- City-operation events by day and lowest unit, broken down by source, category and department,
-- with the time spent in each lifecycle stage (seconds, summed, with how many events reached it).
CREATE TABLE events_daily AS
SELECT day, grid_code, source, category, dept_code,
       count(*) AS events,
       count(*) FILTER (is_proactive) AS events_proactive,
       count(*) FILTER (is_closed) AS events_closed,
       count(*) FILTER (is_closed_on_time) AS events_closed_on_time,
       CAST(coalesce(sum(close_seconds), 0) AS BIGINT) AS events_close_seconds,
       count(*) FILTER (is_repeat) AS events_repeat,
       count(*) FILTER (source = 'hotline') AS hotline_events,
       count(rating) AS hotline_rated,
       count(*) FILTER (rating >= 4) AS hotline_satisfied,
       count(register_time) AS reached_register,
       count(dispatch_time) AS reached_dispatch,
       count(dispose_time) AS reached_dispose,
       count(check_time) AS reached_check,
       CAST(coalesce(sum(date_diff('second', report_time, register_time)), 0) AS BIGINT) AS stage_register_seconds,
       CAST(coalesce(sum(date_diff('second', register_time, dispatch_time)), 0) AS BIGINT) AS stage_dispatch_seconds,
       CAST(coalesce(sum(date_diff('second', dispatch_time, dispose_time)), 0) AS BIGINT) AS stage_dispose_seconds,
       CAST(coalesce(sum(date_diff('second', dispose_time, check_time)), 0) AS BIGINT) AS stage_check_seconds,
       CAST(coalesce(sum(date_diff('second', check_time, close_time)), 0) AS BIGINT) AS stage_close_seconds
FROM stg_events
GROUP BY ALL
ORDER BY day, grid_code;

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
