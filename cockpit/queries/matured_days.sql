-- cache: none (views.like_for_like sums it to its periods)
-- matured_days_from_records.sql for the levels unit_done_daily stores (the city and the
-- districts; queries/done_levels.sql): the maturing measures of the units at $level under a
-- code prefix, per day from $start to $end, of the records done by the end of $cutoff.
SELECT unit_code, day, sum(COLUMNS(* EXCLUDE (unit_level, unit_code, day, done_day)))::BIGINT
FROM unit_done_daily
WHERE unit_level = $level AND starts_with(unit_code, $prefix) AND starts_with(unit_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) AND done_day <= CAST($cutoff AS DATE)
GROUP BY ALL
