-- Checks of 040_stg_readings.sql: each query returns the failing rows (none = pass).
-- (Re-sent readings are not removed here but counted by 080_quality's duplicate_records, so the
-- readings' grain is not a check: a source fault must not stop the build.)

-- check: sensors_grain_unique
SELECT sensor_id, count(*) AS n FROM sensors GROUP BY ALL HAVING count(*) > 1 OR sensor_id IS NULL;

-- check: stg_readings_in_valid_range
-- A value outside the sensor's valid range is a device fault, kept out.
SELECT r.sensor_id, r.ts, r.value, s.valid_min, s.valid_max
FROM stg_readings r LEFT JOIN sensors s USING (sensor_id)
WHERE r.value IS NULL OR NOT r.value BETWEEN s.valid_min AND s.valid_max;
