-- rollup.sql for a level unit_daily does not store (communities, grids): the same rows, summed
-- from the grids' days (grid_daily), of which the prefix reads only the unit's own grids.
SELECT a.ancestor_code AS unit_code,
       CAST(CASE WHEN $grain = 'total' THEN CAST($start AS DATE)
                 ELSE date_trunc(CASE WHEN $grain = 'total' THEN 'day' ELSE $grain END, g.day) END
            AS DATE) AS period_start,
       CAST(sum(COLUMNS(g.* EXCLUDE (grid_code, day))) AS BIGINT)
FROM grid_daily g JOIN grid_ancestors a ON a.grid_code = g.grid_code AND a.ancestor_level = $level
WHERE starts_with(g.grid_code, $prefix)
  AND starts_with(g.grid_code, $scope)
  AND g.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY unit_code, period_start
