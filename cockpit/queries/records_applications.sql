-- The application records behind a number, newest first, personal data masked
-- (可用不可见: a person's name keeps its first character; phones, also inside the rating's
-- reason, keep their first 3 and last 4 digits: mask_phones, macros/mask_phones.sql). The page
-- is taken first and only its rows are masked: with mask_phones in the select that sorts, DuckDB
-- masked every record of the period (a city's year at `small` scale: 230 ms, against 17 ms).
-- Only the records a measure counts ($behind, a column of application_measures: `apps` for
-- every record, a KPI's denominator for the records behind its value), each with what it adds to
-- another ($counted: the KPI's numerator), as 核验 shows them.
WITH behind AS (
    SELECT app_id, COLUMNS(lambda c: c = $counted) AS counted
    FROM application_measures
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) AND COLUMNS(lambda c: c = $behind) <> 0
), page AS (
    SELECT a.app_id, a.submit_time, a.grid_code, i.item_name, a.channel, a.applicant_type, a.applicant_name,
           a.applicant_phone, a.status, a.promised_days, a.complete_time, a.is_on_time, a.rating, a.rating_reason,
           b.counted
    FROM stg_applications a JOIN behind b USING (app_id) JOIN items i USING (item_id)
    WHERE starts_with(a.grid_code, $prefix) AND starts_with(a.grid_code, $scope)
      AND a.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    ORDER BY a.submit_time DESC, a.app_id
    LIMIT $limit OFFSET $offset
)
SELECT app_id, CAST(submit_time AS TIMESTAMP) AS submit_time, grid_code, item_name, channel, applicant_type,
       CASE WHEN applicant_type = 'person'
            THEN left(applicant_name, 1) || repeat('*', length(applicant_name) - 1)
            ELSE applicant_name END AS applicant_name,
       mask_phones(applicant_phone) AS applicant_phone,
       status, promised_days, CAST(complete_time AS TIMESTAMP) AS complete_time, is_on_time,
       rating, mask_phones(rating_reason) AS rating_reason, counted
FROM page
ORDER BY submit_time DESC, app_id
