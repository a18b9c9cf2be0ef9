-- The application records behind a number, newest first, personal data masked
-- (可用不可见: a person's name keeps its first character, phones keep 3 + 4 digits).
SELECT a.app_id, CAST(a.submit_time AS TIMESTAMP) AS submit_time, a.grid_code, i.item_name, a.channel, a.applicant_type,
       CASE WHEN a.applicant_type = 'person'
            THEN left(a.applicant_name, 1) || repeat('*', length(a.applicant_name) - 1)
            ELSE a.applicant_name END AS applicant_name,
       regexp_replace(a.applicant_phone, '^(\d{3})\d{4}(\d{4})$', '\1****\2') AS applicant_phone,
       a.status, a.promised_days, CAST(a.complete_time AS TIMESTAMP) AS complete_time, a.is_on_time,
       a.rating, a.rating_reason
FROM stg_applications a JOIN items i USING (item_id)
WHERE starts_with(a.grid_code, $prefix) AND starts_with(a.grid_code, $scope)
  AND a.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY a.submit_time DESC, a.app_id
LIMIT $limit OFFSET $offset
