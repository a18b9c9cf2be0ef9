-- Applications under a unit's code prefix, summed by one dimension over a date range.
-- $dim: channel | applicant_type | item_id | dept_code (other values give no rows).
SELECT key, CAST(sum(COLUMNS(* EXCLUDE (key))) AS BIGINT)
FROM (
    SELECT CASE $dim WHEN 'channel' THEN channel WHEN 'applicant_type' THEN applicant_type
                     WHEN 'item_id' THEN item_id WHEN 'dept_code' THEN dept_code END AS key,
           COLUMNS(* EXCLUDE (day, grid_code, channel, applicant_type, item_id, dept_code, rating_reason))
    FROM application_measures
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
)
WHERE key IS NOT NULL
GROUP BY key
ORDER BY key
