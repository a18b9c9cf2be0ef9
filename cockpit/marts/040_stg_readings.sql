-- Sensors and their hourly readings. A value outside the sensor's valid range is a device
-- fault: kept out of the readings used for breaches. Readings are kept lean (sensor, time to
-- the second, value); what a reading means is reading_measures.
CREATE TABLE sensors AS
SELECT sensor_id, sensor_type, grid_code, lon, lat, uom, warn_low, warn_high, valid_min, valid_max
FROM raw_sensors;

CREATE TABLE stg_readings AS
SELECT r.sensor_id, CAST(r.ts AS TIMESTAMP_S) AS ts, r.value
FROM raw_readings r JOIN sensors s USING (sensor_id)
WHERE r.value BETWEEN s.valid_min AND s.valid_max
ORDER BY r.sensor_id, r.ts;

-- A reading with its sensor: its day, and whether it breached the sensor's warning thresholds.
CREATE VIEW reading_measures AS
SELECT r.sensor_id, s.sensor_type, s.grid_code, r.ts, CAST(r.ts AS DATE) AS day, r.value,
       r.value < s.warn_low OR r.value > s.warn_high AS is_breach
FROM stg_readings r JOIN sensors s USING (sensor_id);
