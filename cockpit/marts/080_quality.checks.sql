-- Checks of 080_quality.sql: each query returns the failing rows (none = pass).

-- check: quality_checks_grain_unique
SELECT source, check_id, unit_code, day, count(*) AS n FROM quality_checks GROUP BY ALL HAVING count(*) > 1;

-- check: quality_checks_keys_not_null
SELECT * FROM quality_checks WHERE source IS NULL OR check_id IS NULL;

-- check: quality_checks_failed_share
-- The failing share of a check lies between 0 and 1.
SELECT * FROM quality_checks WHERE NOT (checked >= 1 AND failed BETWEEN 0 AND checked);

-- check: quality_checks_same_records_for_every_check
-- Every check of a source looks at every record, so per district and day all check the same number.
SELECT source, unit_code, day, min(checked) AS least_checked, max(checked) AS most_checked
FROM quality_checks GROUP BY ALL HAVING min(checked) <> max(checked);
