-- Completed applications per whole hour of handling time under a unit's code prefix.
SELECT hour, CAST(sum(apps) AS BIGINT) AS apps
FROM handling_hours_daily
WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY hour
ORDER BY hour
