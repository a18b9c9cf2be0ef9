-- Vital signs of one sensor type under a unit's code prefix: per day, the highest and the mean
-- reading across its sensors, breaches, and the strictest warning thresholds.
SELECT v.day AS period_start, max(v.max_value) AS max_value, avg(v.mean_value) AS mean_value,
       CAST(sum(v.breaches) AS BIGINT) AS breaches, CAST(sum(v.readings) AS BIGINT) AS readings
FROM vitals_daily v
WHERE v.sensor_type = $sensor_type AND starts_with(v.grid_code, $prefix) AND starts_with(v.grid_code, $scope)
  AND v.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY v.day
ORDER BY v.day
