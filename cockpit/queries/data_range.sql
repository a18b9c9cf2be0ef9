-- scope: none (metadata)
-- First and last day with data in the marts.
SELECT min(day) AS first_day, max(day) AS last_day FROM unit_daily WHERE unit_level = 1
