-- Map points of the children of a unit (mean of their grids' points).
SELECT u.unit_code, u.unit_name, p.lon, p.lat
FROM units u JOIN unit_points p USING (unit_code)
WHERE u.parent_code = $unit AND starts_with(u.unit_code, $scope)
ORDER BY u.unit_code
