-- Events under a unit's code prefix over a date range, summed by each dimension in turn (one
-- read of the records answers every breakdown of a page): dim, key, measures.
-- dim: source | category | dept_code. $cutoff: as in services_breakdown.sql.
SELECT dim, key, CAST(COLUMNS(* EXCLUDE (dim, key)) AS BIGINT)
FROM (
    SELECT CASE WHEN grouping(source) = 0 THEN 'source' WHEN grouping(category) = 0 THEN 'category'
                ELSE 'dept_code' END AS dim,
           coalesce(source, category, dept_code) AS key,
           sum(COLUMNS(* EXCLUDE (event_id, day, grid_code, source, category, dept_code, done_day)))
    FROM event_measures_at(CAST($cutoff AS DATE))
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    GROUP BY GROUPING SETS ((source), (category), (dept_code))
)
WHERE key IS NOT NULL
ORDER BY dim, key
