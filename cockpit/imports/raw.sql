-- The raw inputs of the marts (the views cockpit/marts/build.py names RAW_SOURCES) made from a
-- data dir's imports (data/imports/, variable `imports`; `imported_<source>`: the loaded rows of
-- its batches, cockpit.imports.imported_views) instead of demo data: the same columns and
-- types, so every mart model runs unchanged. A source with nothing imported is empty (its pages
-- say there is no data).

-- The imported units (made from the places the rows name), each at the mean point of its records;
-- its ancestors' codes are its code's prefixes (cockpit.units).
CREATE TEMP VIEW raw_units AS
WITH points AS (
    SELECT unit_code, avg(lon) AS lon, avg(lat) AS lat
    FROM (SELECT unit_code, lon, lat FROM imported_events UNION ALL SELECT unit_code, lon, lat FROM imported_applications
          UNION ALL SELECT unit_code, lon, lat FROM imported_sensors)
    GROUP BY unit_code
)
SELECT u.unit_code, u.unit_name, CAST(u.unit_level AS TINYINT) AS unit_level, u.parent_code,
       CASE WHEN u.unit_level >= 2 THEN left(u.unit_code, 6) END AS district_code,
       CASE WHEN u.unit_level >= 3 THEN left(u.unit_code, 9) END AS street_code,
       CASE WHEN u.unit_level >= 4 THEN left(u.unit_code, 12) END AS community_code,
       (SELECT avg(p.lon) FROM points p WHERE u.unit_level = 1 OR starts_with(p.unit_code, u.unit_code)) AS lon,
       (SELECT avg(p.lat) FROM points p WHERE u.unit_level = 1 OR starts_with(p.unit_code, u.unit_code)) AS lat
FROM read_parquet(getvariable('imports') || '/units.parquet') u;

-- Each record once: its latest state (the latest update; without one, the latest import, and a
-- closed state before an open one).
CREATE TEMP VIEW raw_events AS
SELECT id AS event_id, source, category, department AS dept_code, unit_code AS grid_code,
       NULL::VARCHAR AS reporter_phone, lon, lat, opened AS report_time,
       NULL::TIMESTAMP AS register_time, NULL::TIMESTAMP AS dispatch_time, NULL::TIMESTAMP AS dispose_time,
       NULL::TIMESTAMP AS check_time, closed AS close_time, deadline, status,
       NULL::BOOLEAN AS is_repeat, CAST(rating AS TINYINT) AS rating,
       coalesce(updated, closed, opened) AS ingested_at  -- when this state was known
FROM imported_events
QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated DESC NULLS LAST, imported_at DESC,
                                                    closed DESC NULLS LAST, batch) = 1;

-- Applications: `category` is the service item, `source` the channel (online, mobile, counter,
-- kiosk: the cockpit's words, by the mapping's [values.source]), `closed` the completion. The
-- promised time is the whole days from submission to the deadline (an application is on time
-- when completed within them).
CREATE TEMP VIEW raw_applications AS
SELECT id AS app_id, category AS item_id, department AS dept_code, unit_code AS grid_code,
       NULL::VARCHAR AS applicant_name, NULL::VARCHAR AS applicant_phone, source AS channel, applicant_type,
       NULL::VARCHAR AS bundle_id, NULL::BOOLEAN AS is_full_online, NULL::BOOLEAN AS is_cross_district,
       CAST(ceil(date_diff('second', opened, deadline) / 86400) AS SMALLINT) AS promised_days,
       opened AS submit_time, NULL::TIMESTAMP AS accept_time, closed AS complete_time, status,
       CAST(rating AS TINYINT) AS rating, NULL::VARCHAR AS rating_reason,
       coalesce(updated, closed, opened) AS ingested_at
FROM imported_applications
QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated DESC NULLS LAST, imported_at DESC,
                                                    closed DESC NULLS LAST, batch) = 1;

CREATE TEMP VIEW raw_items AS
SELECT item_id, any_value(item_id) AS item_name, any_value(dept_code) AS dept_code,
       CAST(median(promised_days) AS BIGINT) AS promised_days, NULL::BOOLEAN AS full_online_capable
FROM raw_applications WHERE item_id IS NOT NULL GROUP BY item_id;

CREATE TEMP VIEW raw_departments AS
SELECT DISTINCT dept_code, dept_code AS dept_name, dept_code AS dept_name_en
FROM (SELECT dept_code FROM raw_events UNION ALL SELECT dept_code FROM raw_applications) WHERE dept_code IS NOT NULL;

-- Sensors: each once, as last imported. A missing valid range is no range (every reading valid).
CREATE TEMP VIEW raw_sensors AS
SELECT id AS sensor_id, type AS sensor_type, unit_code AS grid_code, lon, lat, uom, NULL::DOUBLE AS baseline,
       warn_low, warn_high, coalesce(valid_min, '-infinity'::DOUBLE) AS valid_min,
       coalesce(valid_max, 'infinity'::DOUBLE) AS valid_max
FROM imported_sensors
QUALIFY row_number() OVER (PARTITION BY id ORDER BY imported_at DESC, batch) = 1;

-- Readings: one per sensor and time, as last imported (an export that overlaps an earlier one
-- counts each reading once).
CREATE TEMP VIEW raw_readings AS
SELECT id AS sensor_id, time AS ts, value
FROM imported_readings
QUALIFY row_number() OVER (PARTITION BY id, time ORDER BY imported_at DESC, batch) = 1;

-- Every day of the data a workday: a city's holidays are not in its records.
CREATE TEMP VIEW raw_calendar AS
SELECT CAST(d AS DATE) AS day, true AS is_workday, NULL::VARCHAR AS holiday_name
FROM (SELECT min(t)::DATE AS lo, max(t)::DATE AS hi
      FROM (SELECT report_time AS t FROM raw_events UNION ALL SELECT submit_time FROM raw_applications
            UNION ALL SELECT ts FROM raw_readings)),
     range(lo, hi + 1, INTERVAL 1 DAY) AS t(d);

-- Not imported: empty, with the demo data's columns.
CREATE TEMP VIEW raw_bundles AS
SELECT NULL::VARCHAR AS bundle_id, NULL::VARCHAR AS bundle_name, NULL::VARCHAR AS item_id
WHERE false;
