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

-- check: grid_ancestors_follow_parents
-- Each grid's ancestor at a level is the unit of that level in the grid's parent chain, so every
-- level of unit_daily sums exactly the grids under it.
WITH RECURSIVE chain AS (
    SELECT unit_code AS grid_code, unit_code, unit_level, parent_code FROM units WHERE unit_level = 5
    UNION ALL
    SELECT c.grid_code, p.unit_code, p.unit_level, p.parent_code
    FROM chain c JOIN units p ON p.unit_code = c.parent_code
    WHERE c.unit_level > 1
)
SELECT coalesce(a.grid_code, c.grid_code) AS grid_code, coalesce(a.ancestor_level, c.unit_level) AS level,
       a.ancestor_code, c.unit_code AS parent_chain_code
FROM grid_ancestors a FULL JOIN chain c ON c.grid_code = a.grid_code AND c.unit_level = a.ancestor_level
WHERE a.ancestor_code IS DISTINCT FROM c.unit_code;
