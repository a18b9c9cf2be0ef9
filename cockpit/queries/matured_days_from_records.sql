-- The measures of the records under a code prefix from $start to $end as they stood at the end
-- of $cutoff (application_measures_at, event_measures_at: a record done after it counts as
-- still open), per unit at $level and day. A like-for-like comparison reads its earlier period
-- here, at the age the current period has now (views.like_for_like takes the maturing ones), for
-- the levels unit_done_daily does not store.
SELECT a.ancestor_code AS unit_code, m.day, CAST(coalesce(sum(COLUMNS(m.* EXCLUDE (grid_code, day))), 0) AS BIGINT)
FROM (
    SELECT * EXCLUDE (app_id, channel, applicant_type, item_id, dept_code, rating_reason, done_day)
    FROM application_measures_at(CAST($cutoff AS DATE))
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    UNION ALL BY NAME
    SELECT * EXCLUDE (event_id, source, category, dept_code, done_day)
    FROM event_measures_at(CAST($cutoff AS DATE))
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
) m JOIN grid_ancestors a ON a.grid_code = m.grid_code AND a.ancestor_level = $level
GROUP BY ALL
