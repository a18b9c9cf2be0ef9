-- The event records behind a number, newest first, the hotline caller's phone masked.
SELECT event_id, CAST(report_time AS TIMESTAMP) AS report_time, grid_code, source, category, status,
       regexp_replace(reporter_phone, '^(\d{3})\d{4}(\d{4})$', '\1****\2') AS reporter_phone,
       CAST(deadline AS TIMESTAMP) AS deadline, CAST(close_time AS TIMESTAMP) AS close_time, is_closed_on_time, is_repeat, rating, lon, lat
FROM stg_events
WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
  AND day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY report_time DESC, event_id
LIMIT $limit OFFSET $offset
