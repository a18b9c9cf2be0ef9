-- scope: none (metadata)
-- The unit levels unit_done_daily stores (views.like_for_like reads the others from the records).
SELECT DISTINCT unit_level FROM unit_done_daily ORDER BY unit_level
