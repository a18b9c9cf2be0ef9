-- Map points of the lowest units (grids) under a unit's code prefix: the approximate areas of
-- every unit between it and them are unions of the grids' cells (views.drill.child_areas).
SELECT p.unit_code, p.lon, p.lat
FROM units u JOIN unit_points p USING (unit_code)
WHERE starts_with(u.unit_code, $prefix) AND starts_with(u.unit_code, $scope)
  AND u.unit_level = (SELECT max(unit_level) FROM units)
ORDER BY p.unit_code
