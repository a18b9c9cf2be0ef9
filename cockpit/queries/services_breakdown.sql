-- Applications under a unit's code prefix over a date range, summed by each dimension in turn
-- (one read of the records answers every breakdown of a page): dim, key, measures.
-- dim: channel | applicant_type | item_id | dept_code. $cutoff: the records as they stood at its end
-- (application_measures_at; NULL: as they stand), for a like-for-like comparison period.
SELECT dim, key, CAST(COLUMNS(* EXCLUDE (dim, key)) AS BIGINT)
FROM (
    SELECT CASE WHEN grouping(channel) = 0 THEN 'channel' WHEN grouping(applicant_type) = 0 THEN 'applicant_type'
                WHEN grouping(item_id) = 0 THEN 'item_id' ELSE 'dept_code' END AS dim,
           coalesce(channel, applicant_type, item_id, dept_code) AS key,
           sum(COLUMNS(* EXCLUDE (app_id, day, grid_code, channel, applicant_type, item_id, dept_code, rating_reason, done_day)))
    FROM application_measures_at(CAST($cutoff AS DATE))
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    GROUP BY GROUPING SETS ((channel), (applicant_type), (item_id), (dept_code))
)
WHERE key IS NOT NULL
ORDER BY dim, key
