-- Units of the five levels and, for every grid, its ancestors at each level (itself included).
-- Checks: every unit's code starts with its parent's code (asserted by tests).
CREATE TABLE units AS
SELECT unit_code, unit_name, CAST(unit_level AS TINYINT) AS unit_level, parent_code,
       district_code, street_code, community_code
FROM raw_units
ORDER BY unit_level, unit_code;

CREATE TABLE grid_ancestors AS
SELECT unit_code AS grid_code, (SELECT unit_code FROM units WHERE unit_level = 1) AS ancestor_code, 1 AS ancestor_level
FROM units WHERE unit_level = 5
UNION ALL SELECT unit_code, district_code, 2 FROM units WHERE unit_level = 5
UNION ALL SELECT unit_code, street_code, 3 FROM units WHERE unit_level = 5
UNION ALL SELECT unit_code, community_code, 4 FROM units WHERE unit_level = 5
UNION ALL SELECT unit_code, unit_code, 5 FROM units WHERE unit_level = 5;
