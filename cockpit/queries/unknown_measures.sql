-- scope: none (metadata)
-- The measures the data cannot give (marts/900_build_info.sql): shown as no data.
SELECT measure FROM unknown_measures
