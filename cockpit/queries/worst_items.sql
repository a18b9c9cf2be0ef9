-- The service items with the lowest share of good ratings under a unit's code prefix over a
-- date range (good: as application_measures counts it), with at least $min_ratings ratings,
-- worst first (then by item), and each item's most common reason given with a bad rating
-- (ties: the first reason in order; NULL when no bad rating gave one).
WITH rated AS (
    SELECT item_id, rating_reason, apps_rated_good = 1 AS is_good
    FROM application_measures
    WHERE apps_rated = 1
      AND starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
), items AS (
    SELECT item_id, count(*) AS ratings, 100.0 * count(*) FILTER (is_good) / count(*) AS satisfaction_rate
    FROM rated
    GROUP BY item_id
    HAVING count(*) >= $min_ratings
), reasons AS (
    SELECT item_id, rating_reason AS top_reason, count(*) AS top_reason_count
    FROM rated
    WHERE NOT is_good AND rating_reason IS NOT NULL
    GROUP BY item_id, rating_reason
    QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY count(*) DESC, rating_reason) = 1
)
SELECT i.item_id, CAST(i.ratings AS BIGINT) AS ratings, i.satisfaction_rate,
       mask_phones(r.top_reason) AS top_reason,  -- a person's words: a phone in them is masked
       CAST(coalesce(r.top_reason_count, 0) AS BIGINT) AS top_reason_count
FROM items i LEFT JOIN reasons r USING (item_id)
ORDER BY i.satisfaction_rate, i.item_id
LIMIT $limit
