-- Days a sensor under a unit's code prefix breached its thresholds, with the events of the
-- related category reported that day in the sensor's street (the events raised nearby).
WITH related(sensor_type, category) AS (VALUES
    ('water_level', '排水防汛'), ('air_pm25', '环境污染'), ('road_congestion', '交通秩序'),
    ('gas_pressure', '安全隐患'), ('power_load', '安全隐患'), ('metro_flow', '公共设施'))
SELECT v.day, v.sensor_id, v.sensor_type, v.grid_code, left(v.grid_code, 9) AS street_code,
       CAST(v.breaches AS BIGINT) AS breaches, v.max_value, r.category,
       CAST(coalesce((SELECT sum(e.events) FROM event_measures e
                      WHERE e.day = v.day AND starts_with(e.grid_code, left(v.grid_code, 9))
                        AND e.category = r.category), 0) AS BIGINT) AS related_events
FROM vitals_daily v JOIN related r USING (sensor_type)
WHERE v.breaches > 0 AND starts_with(v.grid_code, $prefix) AND starts_with(v.grid_code, $scope)
  AND v.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY v.day DESC, v.breaches DESC, v.sensor_id
LIMIT 30
