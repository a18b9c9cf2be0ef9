-- Units of up to five levels and, for every grid, its ancestors at each level (itself included).
-- Checks: every unit's code starts with its parent's code (asserted by tests).
CREATE TABLE units AS
SELECT unit_code, unit_name, CAST(unit_level AS TINYINT) AS unit_level, parent_code,
       district_code, street_code, community_code
FROM raw_units
ORDER BY unit_level, unit_code;

-- The records' units are the lowest level ("grids": Shanghai's 网格, or a city's own lowest
-- level, e.g. Boston's precincts): every unit without a unit below it. Each with its ancestors,
-- up its parent chain.
CREATE TABLE grid_ancestors AS
WITH RECURSIVE chain AS (
    SELECT unit_code AS grid_code, unit_code AS ancestor_code, unit_level AS ancestor_level, parent_code
    FROM units u WHERE NOT EXISTS (SELECT 1 FROM units c WHERE c.parent_code = u.unit_code)
    UNION ALL
    SELECT c.grid_code, p.unit_code, p.unit_level, p.parent_code
    FROM chain c JOIN units p ON p.unit_code = c.parent_code
)
SELECT grid_code, ancestor_code, CAST(ancestor_level AS INTEGER) AS ancestor_level FROM chain
ORDER BY grid_code, ancestor_level;
