-- Checks of 900_build_info.sql: each query returns the failing rows (none = pass).

-- check: source_freshness_one_row_per_source
SELECT source, count(*) AS n FROM source_freshness GROUP BY ALL HAVING count(*) <> 1 OR source IS NULL;

-- check: source_freshness_rows_match_staging
SELECT f.source, f.rows, s.rows AS staged
FROM source_freshness f
JOIN (SELECT 'applications' AS source, count(*) AS rows FROM stg_applications
      UNION ALL SELECT 'events', count(*) FROM stg_events
      UNION ALL SELECT 'readings', count(*) FROM stg_readings) s USING (source)
WHERE f.rows <> s.rows OR f.latest_record > f.latest_ingest;

-- check: unknown_measures_are_measures
SELECT measure FROM unknown_measures
WHERE measure NOT IN (SELECT column_name FROM duckdb_columns() WHERE table_name = 'unit_daily');
