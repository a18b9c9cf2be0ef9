-- vitals_series.sql per hour, from the readings themselves.
SELECT CAST(r.ts AS TIMESTAMP) AS period_start, max(r.value) AS max_value, min(r.value) AS min_value,
       avg(r.value) AS mean_value,
       100 * max(r.value / s.warn_high) AS max_of_high, 100 * min(r.value / s.warn_low) AS min_of_low,
       100 * avg(r.value / s.warn_high) AS mean_of_high,
       CAST(count(*) FILTER (r.is_breach) AS BIGINT) AS breaches, CAST(count(*) AS BIGINT) AS readings
FROM reading_measures r JOIN sensors s USING (sensor_id)
WHERE r.sensor_type = $sensor_type AND starts_with(r.grid_code, $prefix) AND starts_with(r.grid_code, $scope)
  AND r.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY period_start
