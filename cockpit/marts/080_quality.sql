-- Data-quality checks over the RAW records (before the staging rules drop or repair them): per
-- source, check, district and day, how many records fail the check of how many were checked.
-- unit_code is the record's district (NULL when the record has no grid: it cannot be placed, so
-- the pages count it for every unit); day is the record's own date, or the day it arrived when
-- its own date lies after its arrival (a future date).
--
-- Each check flags a record once:
--   duplicate_records      a further copy of an id already seen (the first copy passes)
--   missing_unit           no grid code
--   missing_category       no item / department (applications), no category / source (events)
--   missing_timestamp      no record time or no ingestion time
--   future_dates           record time after the moment the record was ingested
--   late_arrivals          ingested more than 3 days after the record's last recorded change
--   closed_before_created  close time before report time (events; a future-dated report is
--                          already counted as a future date)
--   out_of_range           sensor reading outside the sensor's valid range
--   unknown_unit           grid code not in the units table
--   unknown_item           item not in the items table (applications)
--   unknown_dept           department not in the departments table
--   unknown_sensor         reading of a sensor not in the sensors table
CREATE TABLE quality_checks AS
WITH grids AS (SELECT grid_code AS unit_code FROM grid_ancestors WHERE ancestor_level = 1),  -- the lowest level
applications AS (
    SELECT 'applications' AS source, left(grid_code, 6) AS unit_code,
           CAST(least(submit_time, ingested_at) AS DATE) AS day,
           row_number() OVER (PARTITION BY app_id ORDER BY ingested_at) > 1 AS duplicate_records,
           grid_code IS NULL AS missing_unit,
           item_id IS NULL OR dept_code IS NULL AS missing_category,
           submit_time IS NULL OR ingested_at IS NULL AS missing_timestamp,
           submit_time > ingested_at AS future_dates,
           ingested_at > greatest(submit_time, accept_time, complete_time) + INTERVAL 3 DAY AS late_arrivals,
           false AS closed_before_created,
           false AS out_of_range,
           grid_code IS NOT NULL AND grid_code NOT IN (SELECT unit_code FROM grids) AS unknown_unit,
           item_id IS NOT NULL AND item_id NOT IN (SELECT item_id FROM raw_items) AS unknown_item,
           dept_code IS NOT NULL AND dept_code NOT IN (SELECT dept_code FROM raw_departments) AS unknown_dept,
           false AS unknown_sensor
    FROM raw_applications),
events AS (
    SELECT 'events', left(grid_code, 6), CAST(least(report_time, ingested_at) AS DATE),
           row_number() OVER (PARTITION BY event_id ORDER BY ingested_at) > 1,
           grid_code IS NULL,
           category IS NULL OR source IS NULL,
           report_time IS NULL OR ingested_at IS NULL,
           report_time > ingested_at,
           -- an impossible close time (closed_before_created) hides the last change: not judged
           ingested_at > greatest(report_time, register_time, dispatch_time, dispose_time, check_time,
                                  close_time) + INTERVAL 3 DAY AND NOT coalesce(close_time < report_time, false),
           close_time < report_time AND report_time <= ingested_at,
           false,
           grid_code IS NOT NULL AND grid_code NOT IN (SELECT unit_code FROM grids),
           false,
           dept_code IS NOT NULL AND dept_code NOT IN (SELECT dept_code FROM raw_departments),
           false
    FROM raw_events),
readings AS (
    SELECT 'readings', left(s.grid_code, 6), CAST(r.ts AS DATE),
           row_number() OVER (PARTITION BY r.sensor_id, r.ts ORDER BY r.value) > 1,
           s.grid_code IS NULL AND s.sensor_id IS NOT NULL,
           false,
           r.ts IS NULL,
           false,
           false,
           false,
           NOT coalesce(r.value BETWEEN s.valid_min AND s.valid_max, true),
           false,
           false,
           false,
           s.sensor_id IS NULL
    FROM raw_readings r LEFT JOIN raw_sensors s USING (sensor_id)),
flags AS (
    SELECT * FROM applications UNION ALL SELECT * FROM events UNION ALL SELECT * FROM readings)
SELECT source, check_id, unit_code, day,
       count(*) FILTER (failed) AS failed, count(*) AS checked
FROM flags UNPIVOT INCLUDE NULLS (failed FOR check_id IN (
         duplicate_records, missing_unit, missing_category, missing_timestamp, future_dates,
         late_arrivals, closed_before_created, out_of_range, unknown_unit, unknown_item,
         unknown_dept, unknown_sensor))
-- checks that do not apply to a source are left out, rather than shown as always passing
WHERE CASE source
        WHEN 'applications' THEN check_id NOT IN ('closed_before_created', 'out_of_range', 'unknown_sensor')
        WHEN 'events' THEN check_id NOT IN ('out_of_range', 'unknown_item', 'unknown_sensor')
        ELSE check_id IN ('duplicate_records', 'missing_unit', 'missing_timestamp', 'out_of_range',
                          'unknown_sensor')
      END
GROUP BY ALL
ORDER BY source, check_id, unit_code, day;
