-- Checks of 010_units.sql: each query returns the failing rows (none = pass).

-- check: units_grain_unique
SELECT unit_code, count(*) AS n FROM units GROUP BY unit_code HAVING count(*) > 1;

-- check: units_keys_not_null
SELECT * FROM units WHERE unit_code IS NULL OR unit_level IS NULL OR unit_name IS NULL;

-- check: units_one_city
-- Exactly one unit at level 1: every higher level rolls up to it.
SELECT count(*) AS cities FROM units WHERE unit_level = 1 HAVING count(*) <> 1;

-- check: units_parent_one_level_up
-- Every unit below the city has a parent one level up (only the city has none), and below the
-- districts a unit's code starts with its parent's: pages sum a unit's grids by code prefix.
SELECT u.unit_code, u.unit_level, u.parent_code, p.unit_level AS parent_level
FROM units u LEFT JOIN units p ON p.unit_code = u.parent_code
WHERE u.unit_level NOT BETWEEN 1 AND 5
   OR (u.unit_level = 1) <> (u.parent_code IS NULL)
   OR (u.unit_level > 1 AND p.unit_level IS DISTINCT FROM u.unit_level - 1)
   OR (u.unit_level > 2 AND NOT starts_with(u.unit_code, u.parent_code));

-- check: grid_ancestors_grain_unique
SELECT grid_code, ancestor_level, count(*) AS n FROM grid_ancestors GROUP BY ALL HAVING count(*) > 1;

-- check: grid_ancestors_follow_codes
-- A grid's ancestors are the city and the units whose codes start its code, one per level down
-- to itself, and every grid is at the same (lowest) level: every level of unit_daily sums
-- exactly the grids under it, and a page sums a unit's grids by code prefix.
WITH lowest AS (SELECT max(unit_level) AS level FROM units)
SELECT a.grid_code, count(*) AS ancestors, max(a.ancestor_level) AS grid_level, lowest.level AS lowest_level
FROM grid_ancestors a JOIN units u ON u.unit_code = a.ancestor_code AND u.unit_level = a.ancestor_level, lowest
WHERE a.ancestor_level = 1 OR starts_with(a.grid_code, a.ancestor_code)
GROUP BY a.grid_code, lowest.level
HAVING count(*) <> lowest.level OR count(DISTINCT a.ancestor_level) <> lowest.level OR max(a.ancestor_level) <> lowest.level
UNION ALL
SELECT unit_code, NULL, unit_level, NULL FROM units u
WHERE unit_level = (SELECT max(unit_level) FROM units) AND unit_code NOT IN (SELECT grid_code FROM grid_ancestors);
