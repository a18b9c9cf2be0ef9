-- Sensors and their hourly readings. A value outside the sensor's valid range is a device
-- fault: kept out of the readings used for breaches.
CREATE TABLE sensors AS
SELECT sensor_id, sensor_type, grid_code, lon, lat, uom, warn_low, warn_high, valid_min, valid_max
FROM raw_sensors;

CREATE TABLE stg_readings AS
SELECT r.sensor_id, r.ts, r.value,
       CAST(r.ts AS DATE) AS day,
       r.value < s.warn_low OR r.value > s.warn_high AS is_breach
FROM raw_readings r JOIN sensors s USING (sensor_id)
WHERE r.value BETWEEN s.valid_min AND s.valid_max
ORDER BY r.sensor_id, r.ts;
