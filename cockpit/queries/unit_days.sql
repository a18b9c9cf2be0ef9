-- cache: none (views.rollup keeps the units' days as arrays in each process)
-- The daily measures of the units at one level under a code prefix (a unit itself: its level
-- and its code; its children: the next level and its child prefix), every day the marts hold.
-- One read serves every period and grain of those units: views.rollup sums the days it needs
-- (and orders the rows itself: cheaper than an ORDER BY here).
-- For the levels unit_daily stores (views.rollup picks this query or unit_days_from_grids.sql).
SELECT unit_code, day, COLUMNS(* EXCLUDE (unit_level, unit_code, day))
FROM unit_daily
WHERE unit_level = $level
  AND starts_with(unit_code, $prefix)
  AND starts_with(unit_code, $scope)
