-- Checks of 015_reference.sql: each query returns the failing rows (none = pass).

-- check: departments_grain_unique
SELECT dept_code, count(*) AS n FROM departments GROUP BY ALL HAVING count(*) > 1 OR dept_code IS NULL;

-- check: items_grain_unique
SELECT item_id, count(*) AS n FROM items GROUP BY ALL HAVING count(*) > 1 OR item_id IS NULL;

-- check: items_dept_known
-- Pages name an item's department.
SELECT * FROM items WHERE dept_code NOT IN (SELECT dept_code FROM departments);

-- check: items_promised_days_non_negative
-- On-time completion is judged against promised_days.
SELECT * FROM items WHERE NOT promised_days >= 0;

-- check: bundles_grain_unique
SELECT bundle_id, item_id, count(*) AS n FROM bundles GROUP BY ALL HAVING count(*) > 1 OR bundle_id IS NULL;

-- check: bundles_item_known
SELECT * FROM bundles WHERE item_id NOT IN (SELECT item_id FROM items);

-- check: calendar_days_unique_without_gaps
-- One row per day from the first to the last: day types are joined by day.
SELECT count(*) AS rows, count(DISTINCT day) AS days, min(day) AS first, max(day) AS last
FROM calendar
HAVING count(*) <> count(DISTINCT day) OR count(*) <> max(day) - min(day) + 1 OR count(day) <> count(*);

-- check: unit_points_grain_unique
SELECT unit_code, count(*) AS n FROM unit_points GROUP BY ALL HAVING count(*) > 1;

-- check: unit_points_unit_known
SELECT * FROM unit_points WHERE unit_code NOT IN (SELECT unit_code FROM units) OR lon IS NULL OR lat IS NULL;
