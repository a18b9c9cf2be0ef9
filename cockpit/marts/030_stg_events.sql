-- City-operation events (事件/工单) as the marts count them. Same rules as applications
-- (duplicates, missing unit, future-dated), and one more: a close time before the report time
-- is impossible, so such an event counts as an event but its closure is treated as unknown.
CREATE TABLE stg_events AS
SELECT event_id, CAST(source AS VARCHAR) AS source, category, dept_code, grid_code, reporter_phone, lon, lat,
       report_time, register_time, dispatch_time, dispose_time, check_time,
       CASE WHEN close_time >= report_time THEN close_time END AS close_time,
       deadline, CAST(status AS VARCHAR) AS status, is_repeat, rating, ingested_at,
       CAST(report_time AS DATE) AS day,
       source IN ('grid_patrol', 'iot', 'video_ai') AS is_proactive,
       close_time >= report_time AS is_closed,
       close_time >= report_time AND close_time <= deadline AS is_closed_on_time,
       CASE WHEN close_time >= report_time
            THEN date_diff('second', report_time, close_time) END AS close_seconds
FROM raw_events
WHERE grid_code IS NOT NULL AND report_time <= ingested_at
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ingested_at DESC) = 1
ORDER BY grid_code, report_time;
