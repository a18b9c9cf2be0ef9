-- City vital signs per sensor and day; hourly values stay in stg_readings.
CREATE TABLE vitals_daily AS
SELECT day, sensor_id, sensor_type, grid_code,
       count(*) AS readings, min(value) AS min_value, max(value) AS max_value,
       sum(value) AS sum_value, count(*) FILTER (is_breach) AS breaches  -- a mean is pooled from sums
FROM reading_measures
GROUP BY ALL
ORDER BY day, sensor_id;

-- The latest valid reading of every sensor.
CREATE TABLE sensor_latest AS
SELECT s.sensor_id, s.sensor_type, s.grid_code, s.uom, s.warn_low, s.warn_high,
       CAST(max(r.ts) AS TIMESTAMP) AS ts, arg_max(r.value, r.ts) AS value
FROM stg_readings r JOIN sensors s USING (sensor_id)
GROUP BY ALL
ORDER BY s.sensor_id;
