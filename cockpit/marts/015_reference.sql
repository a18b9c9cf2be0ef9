-- Reference tables the pages name things with: departments, service items, bundles, calendar,
-- and a point for every unit (the mean of its grids' points) for maps.
CREATE TABLE departments AS SELECT dept_code, dept_name, dept_name_en FROM raw_departments;
CREATE TABLE items AS SELECT item_id, item_name, dept_code, promised_days, full_online_capable FROM raw_items;
CREATE TABLE bundles AS SELECT bundle_id, bundle_name, item_id FROM raw_bundles;
CREATE TABLE calendar AS SELECT CAST(day AS DATE) AS day, is_workday, holiday_name FROM raw_calendar;

CREATE TABLE unit_points AS
SELECT a.ancestor_code AS unit_code, avg(g.lon) AS lon, avg(g.lat) AS lat
FROM grid_ancestors a JOIN raw_units g ON g.unit_code = a.grid_code
WHERE g.lon IS NOT NULL
GROUP BY ALL;
