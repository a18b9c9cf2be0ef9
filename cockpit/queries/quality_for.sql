-- The quality checks of one source for a unit's district (or the units under a district) and a
-- period: how many records each check found failing, of how many checked.
SELECT check_id, sum(failed)::BIGINT AS failed, sum(checked)::BIGINT AS checked
FROM quality_checks
WHERE source = $source
  AND (unit_code IS NULL OR starts_with($prefix, unit_code) OR starts_with(unit_code, $prefix))
  AND (unit_code IS NULL OR starts_with(unit_code, left($scope, 6)) OR starts_with($scope, unit_code))
  AND (day IS NULL OR day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE))
GROUP BY check_id
ORDER BY check_id
