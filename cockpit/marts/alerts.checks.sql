-- Checks of the alerts step (alerts.py): each query returns the failing rows (none = pass).

-- check: alerts_grain_unique
SELECT kpi_id, unit_code, start, count(*) AS n FROM alerts GROUP BY ALL HAVING count(*) > 1;

-- check: alerts_keys_not_null
SELECT * FROM alerts WHERE kpi_id IS NULL OR unit_code IS NULL OR start IS NULL OR "end" IS NULL;

-- check: alerts_units_known
SELECT a.kpi_id, a.unit_code, a.unit_level, u.unit_level AS units_level
FROM alerts a LEFT JOIN units u USING (unit_code)
WHERE u.unit_level IS DISTINCT FROM a.unit_level;

-- check: alerts_values_valid
-- Rates are shown in percent (0 to 100); severity is the size of z.
SELECT * FROM alerts
WHERE direction NOT IN ('up', 'down') OR judgement NOT IN ('good', 'bad')
   OR NOT ("end" >= start AND weeks >= 1 AND severity = abs(z))
   OR (kpi_id LIKE '%\_rate' ESCAPE '\' AND NOT observed BETWEEN 0 AND 100);
