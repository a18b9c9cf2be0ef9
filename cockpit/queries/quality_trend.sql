-- Failing records per source, check and month for a unit's district (or the whole city).
SELECT source, check_id, CAST(date_trunc('month', day) AS DATE) AS period_start,
       sum(failed)::BIGINT AS failed, sum(checked)::BIGINT AS checked
FROM quality_checks
WHERE day IS NOT NULL
  AND (unit_code IS NULL OR starts_with($prefix, unit_code) OR starts_with(unit_code, $prefix))
  AND (unit_code IS NULL OR starts_with(unit_code, left($scope, 6)) OR starts_with($scope, unit_code))
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY source, check_id, period_start
