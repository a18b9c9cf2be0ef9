-- The event records behind a number, newest first, the hotline caller's phone masked
-- (mask_phones: macros/mask_phones.sql), on the page only, as in records_applications.sql.
WITH page AS (
    SELECT event_id, report_time, grid_code, source, category, status, reporter_phone, deadline, close_time,
           is_closed_on_time, is_repeat, rating, lon, lat
    FROM stg_events
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    ORDER BY report_time DESC, event_id
    LIMIT $limit OFFSET $offset
)
SELECT event_id, CAST(report_time AS TIMESTAMP) AS report_time, grid_code, source, category, status,
       mask_phones(reporter_phone) AS reporter_phone,
       CAST(deadline AS TIMESTAMP) AS deadline, CAST(close_time AS TIMESTAMP) AS close_time, is_closed_on_time,
       is_repeat, rating, lon, lat
FROM page
ORDER BY report_time DESC, event_id
