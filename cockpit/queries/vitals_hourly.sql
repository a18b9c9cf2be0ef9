-- Hourly readings of one sensor type under a unit's code prefix: highest and mean per hour.
SELECT CAST(ts AS TIMESTAMP) AS period_start, max(value) AS max_value, avg(value) AS mean_value,
       CAST(count(*) FILTER (is_breach) AS BIGINT) AS breaches, CAST(count(*) AS BIGINT) AS readings
FROM reading_measures
WHERE sensor_type = $sensor_type AND starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY period_start
