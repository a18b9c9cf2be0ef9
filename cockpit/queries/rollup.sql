-- Measures of the units at one level under a code prefix, summed per period.
-- The one query shape for every level and grain: a unit itself is (its level, its code); its
-- children are (its level + 1, its child prefix). $grain: day|week|month|quarter|year|total
-- ('total' gives one row per unit for the whole range, dated $start).
-- For the levels unit_daily stores (views.rollup picks this query or rollup_grids.sql).
SELECT unit_code,
       CAST(CASE WHEN $grain = 'total' THEN CAST($start AS DATE)
                 ELSE date_trunc(CASE WHEN $grain = 'total' THEN 'day' ELSE $grain END, day) END
            AS DATE) AS period_start,
       CAST(sum(COLUMNS(* EXCLUDE (unit_level, unit_code, day))) AS BIGINT)
FROM unit_daily
WHERE unit_level = $level
  AND starts_with(unit_code, $prefix)
  AND starts_with(unit_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY unit_code, period_start
