-- The event records behind a number, newest first, the hotline caller's phone masked
-- (mask_phones: macros/mask_phones.sql), on the page only, as in records_applications.sql.
-- Only the records a measure counts ($behind, a column of event_measures), each with what it adds
-- to another ($counted), as in records_applications.sql.
WITH behind AS (
    SELECT event_id, COLUMNS(lambda c: c = $counted) AS counted
    FROM event_measures
    WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
      AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) AND COLUMNS(lambda c: c = $behind) <> 0
), page AS (
    SELECT e.event_id, e.report_time, e.grid_code, e.source, e.category, e.status, e.reporter_phone, e.deadline,
           e.close_time, e.is_closed_on_time, e.is_repeat, e.rating, e.lon, e.lat, b.counted
    FROM stg_events e JOIN behind b USING (event_id)
    WHERE starts_with(e.grid_code, $prefix) AND starts_with(e.grid_code, $scope)
      AND e.day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    ORDER BY e.report_time DESC, e.event_id
    LIMIT $limit OFFSET $offset
)
SELECT event_id, CAST(report_time AS TIMESTAMP) AS report_time, grid_code, source, category, status,
       mask_phones(reporter_phone) AS reporter_phone,
       CAST(deadline AS TIMESTAMP) AS deadline, CAST(close_time AS TIMESTAMP) AS close_time, is_closed_on_time,
       is_repeat, rating, lon, lat, counted
FROM page
ORDER BY report_time DESC, event_id
