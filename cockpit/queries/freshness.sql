-- scope: none (metadata about sources, no unit data)
-- Latest record and ingestion time per source, and when the marts were built.
SELECT f.source, f.latest_record, f.latest_ingest, f.rows, b.version, b.built_at
FROM source_freshness f, build_info b
ORDER BY f.source
