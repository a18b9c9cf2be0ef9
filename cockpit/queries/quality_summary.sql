-- Every quality check of every source for a unit's district (or the districts under the city)
-- and a period: failing and checked records. Rows without a unit or a day (e.g. records with no
-- grid) count for every unit and period: they cannot be placed, so nobody may overlook them.
SELECT source, check_id, sum(failed)::BIGINT AS failed, sum(checked)::BIGINT AS checked
FROM quality_checks
WHERE (unit_code IS NULL OR starts_with($prefix, unit_code) OR starts_with(unit_code, $prefix))
  AND (unit_code IS NULL OR starts_with(unit_code, left($scope, 6)) OR starts_with($scope, unit_code))
  AND (day IS NULL OR day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE))
GROUP BY source, check_id
ORDER BY source, check_id
