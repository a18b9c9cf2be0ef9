-- Ratings per item and reason under a unit's code prefix (is_good: rating of 4 or 5).
SELECT item_id, rating_reason, rating >= 4 AS is_good, CAST(count(*) AS BIGINT) AS ratings
FROM application_measures
WHERE rating IS NOT NULL
  AND starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY item_id, rating_reason, is_good
