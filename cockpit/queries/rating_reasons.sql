-- Ratings per item and reason under a unit's code prefix (is_good: a good rating, as
-- application_measures counts it).
SELECT item_id, rating_reason, apps_rated_good = 1 AS is_good, CAST(count(*) AS BIGINT) AS ratings
FROM application_measures
WHERE apps_rated = 1
  AND starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY item_id, rating_reason, is_good
