-- Open and overdue events at the data cut under a unit's code prefix, by category.
SELECT category, CAST(sum(open_events) AS BIGINT) AS open_events, CAST(sum(overdue_events) AS BIGINT) AS overdue_events
FROM events_open
WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
GROUP BY category
ORDER BY category
