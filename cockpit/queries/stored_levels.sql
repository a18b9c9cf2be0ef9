-- scope: none (metadata)
-- The unit levels unit_daily stores (the others are summed from grid_daily when asked).
SELECT DISTINCT unit_level FROM unit_daily ORDER BY unit_level
