-- Anomaly alerts of a unit and the units below it whose span meets a period, most severe first
-- (the overview's list: what went wrong in the period the leader is looking at).
SELECT a.*, u.unit_name
FROM alerts a JOIN units u USING (unit_code)
WHERE starts_with(a.unit_code, $scope) AND starts_with(a.unit_code, $prefix)
  AND a.start <= $end AND a."end" >= $start
ORDER BY a.severity DESC
LIMIT $limit
