-- Vital signs of one sensor type under a unit's code prefix, per day: the highest and lowest
-- reading, the mean pooled over every reading (a sensor that missed readings weighs less, not
-- as much as a full one), and the same three relative to each reading's own sensor's warning
-- thresholds (per cent: above 100 of the upper one, or below 100 of the lower one, is a
-- breach, so what is drawn agrees with the breaches counted); breaches and readings.
SELECT v.day AS period_start, max(v.max_value) AS max_value, min(v.min_value) AS min_value,
       sum(v.sum_value) / sum(v.readings) AS mean_value,
       100 * max(v.max_value / s.warn_high) AS max_of_high, 100 * min(v.min_value / s.warn_low) AS min_of_low,
       100 * sum(v.sum_value / s.warn_high) / sum(v.readings) AS mean_of_high,
       CAST(sum(v.breaches) AS BIGINT) AS breaches, CAST(sum(v.readings) AS BIGINT) AS readings
FROM vitals_daily v JOIN sensors s USING (sensor_id)
WHERE v.sensor_type = $sensor_type AND starts_with(v.grid_code, $prefix) AND starts_with(v.grid_code, $scope)
  AND v.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY v.day
ORDER BY v.day
