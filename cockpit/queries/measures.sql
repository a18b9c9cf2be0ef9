-- scope: none (metadata)
-- The measure columns of unit_daily (the catalogue's numerators and denominators).
SELECT column_name FROM duckdb_columns()
WHERE table_name = 'unit_daily' AND column_name NOT IN ('unit_level', 'unit_code', 'day')
