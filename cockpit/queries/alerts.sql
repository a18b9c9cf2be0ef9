-- Anomaly alerts computed by the build, most severe first; optionally for one unit and KPI.
SELECT a.*, u.unit_name
FROM alerts a JOIN units u USING (unit_code)
WHERE starts_with(a.unit_code, $scope)
  AND ($unit = '' OR a.unit_code = $unit) AND ($kpi = '' OR a.kpi_id = $kpi)
ORDER BY a.severity DESC
LIMIT $limit
