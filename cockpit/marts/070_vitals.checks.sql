-- Checks of 070_vitals.sql: each query returns the failing rows (none = pass).

-- check: vitals_daily_grain_unique
SELECT day, sensor_id, count(*) AS n FROM vitals_daily GROUP BY ALL HAVING count(*) > 1;

-- check: vitals_daily_keys_not_null
SELECT * FROM vitals_daily WHERE day IS NULL OR sensor_id IS NULL;

-- check: vitals_daily_values_consistent
-- Breaches are a share of the readings; values stay inside the sensor's valid range.
SELECT v.*, s.valid_min, s.valid_max
FROM vitals_daily v LEFT JOIN sensors s USING (sensor_id)
WHERE NOT (v.readings >= 1 AND v.breaches BETWEEN 0 AND v.readings
           AND v.min_value >= s.valid_min AND v.max_value <= s.valid_max AND v.min_value <= v.max_value
           AND v.sum_value BETWEEN v.readings * v.min_value - 1e-6 AND v.readings * v.max_value + 1e-6);

-- check: sensor_latest_grain_unique
SELECT sensor_id, count(*) AS n FROM sensor_latest GROUP BY ALL HAVING count(*) > 1 OR sensor_id IS NULL;

-- check: sensor_latest_is_latest
-- The latest reading of each sensor, and a valid one.
SELECT l.sensor_id, l.ts, l.value, r.last_ts
FROM sensor_latest l
LEFT JOIN (SELECT sensor_id, max(ts) AS last_ts FROM stg_readings GROUP BY ALL) r USING (sensor_id)
LEFT JOIN sensors s USING (sensor_id)
WHERE l.ts IS DISTINCT FROM r.last_ts OR NOT l.value BETWEEN s.valid_min AND s.valid_max;
