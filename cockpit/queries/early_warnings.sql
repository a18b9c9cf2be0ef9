-- Early warnings computed by the build: KPIs whose year-end forecast misses the target.
SELECT w.*, u.unit_name
FROM early_warnings w JOIN units u USING (unit_code)
WHERE starts_with(w.unit_code, $scope)
ORDER BY w.gap
