-- unit_days.sql for a level unit_daily does not store (communities, grids): the same rows,
-- summed from the grids' days (grid_daily), of which the prefix reads only the unit's own
-- grids; only the days from $start to $end (the grids' days are summed from the records).
SELECT a.ancestor_code AS unit_code, g.day, CAST(sum(COLUMNS(g.* EXCLUDE (grid_code, day))) AS BIGINT)
FROM grid_daily g JOIN grid_ancestors a ON a.grid_code = g.grid_code AND a.ancestor_level = $level
WHERE starts_with(g.grid_code, $prefix)
  AND starts_with(g.grid_code, $scope)
  AND g.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
