-- Hourly readings of one sensor type under a unit's code prefix: highest and mean per hour.
SELECT r.ts AS period_start, max(r.value) AS max_value, avg(r.value) AS mean_value,
       CAST(count(*) FILTER (r.is_breach) AS BIGINT) AS breaches, CAST(count(*) AS BIGINT) AS readings
FROM stg_readings r JOIN sensors s USING (sensor_id)
WHERE s.sensor_type = $sensor_type AND starts_with(s.grid_code, $prefix) AND starts_with(s.grid_code, $scope)
  AND r.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY r.ts
ORDER BY r.ts
