-- The child units of a unit, by code.
SELECT unit_code, unit_name, unit_level
FROM units
WHERE parent_code = $unit AND starts_with(unit_code, $scope)
ORDER BY unit_code
