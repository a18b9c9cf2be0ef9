-- Checks of the early_warnings step (alerts.py): each query returns the failing rows (none = pass).

-- check: early_warnings_grain_unique
SELECT kpi_id, unit_code, count(*) AS n FROM early_warnings GROUP BY ALL HAVING count(*) > 1;

-- check: early_warnings_city_or_district
-- Warnings are judged for the city and its districts.
SELECT w.kpi_id, w.unit_code, u.unit_level
FROM early_warnings w LEFT JOIN units u USING (unit_code)
WHERE u.unit_level IS NULL OR u.unit_level > 2;

-- check: early_warnings_miss_target
-- Only a forecast that misses its target is a warning.
SELECT * FROM early_warnings WHERE NOT gap < 0 OR target IS NULL OR expected IS NULL OR period_end IS NULL;
