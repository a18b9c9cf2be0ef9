-- One unit and its ancestors (for the breadcrumb), each with name and level.
SELECT u.unit_code, u.unit_name, u.unit_level, u.parent_code
FROM units u, (SELECT * FROM units WHERE unit_code = $unit) AS t
WHERE (u.unit_code IN (t.unit_code, t.district_code, t.street_code, t.community_code) OR u.unit_level = 1)
  AND starts_with(t.unit_code, $scope)
ORDER BY u.unit_level
