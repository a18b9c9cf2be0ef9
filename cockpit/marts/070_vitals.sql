-- City vital signs per sensor and day; hourly values stay in stg_readings.
CREATE TABLE vitals_daily AS
SELECT r.day, s.sensor_id, s.sensor_type, s.grid_code,
       count(*) AS readings, min(r.value) AS min_value, max(r.value) AS max_value,
       avg(r.value) AS mean_value, count(*) FILTER (r.is_breach) AS breaches
FROM stg_readings r JOIN sensors s USING (sensor_id)
GROUP BY ALL
ORDER BY r.day, s.sensor_id;

-- The latest valid reading of every sensor.
CREATE TABLE sensor_latest AS
SELECT s.sensor_id, s.sensor_type, s.grid_code, s.uom, s.warn_low, s.warn_high,
       max(r.ts) AS ts, arg_max(r.value, r.ts) AS value
FROM stg_readings r JOIN sensors s USING (sensor_id)
GROUP BY ALL
ORDER BY s.sensor_id;
