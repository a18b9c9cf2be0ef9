-- Failing records per unit of the quality mart (districts) under a prefix, in a period.
SELECT q.unit_code, u.unit_name, sum(q.failed)::BIGINT AS failed
FROM quality_checks q JOIN units u USING (unit_code)
WHERE starts_with(q.unit_code, $prefix) AND starts_with(q.unit_code, $scope)
  AND q.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY failed DESC
