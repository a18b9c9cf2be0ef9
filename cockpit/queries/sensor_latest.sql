-- Every sensor under a unit's code prefix with its latest reading and thresholds.
SELECT sensor_id, sensor_type, grid_code, uom, warn_low, warn_high, ts, value
FROM sensor_latest
WHERE starts_with(grid_code, $prefix) AND starts_with(grid_code, $scope)
ORDER BY sensor_type, sensor_id
