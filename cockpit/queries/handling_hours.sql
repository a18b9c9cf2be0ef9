-- Completed applications per whole hour of handling time under a unit's code prefix
-- (a histogram: quantiles such as p90 do not add up over units, hour counts do).
SELECT CAST(apps_handling_seconds // 3600 AS INTEGER) AS hour, CAST(count(*) AS BIGINT) AS apps
FROM application_measures
WHERE apps_completed = 1
  AND starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY hour
ORDER BY hour
