-- The maturing measures (kpis.MATURING: what a record gains when it completes or closes) of the
-- city and the districts, by the day of their records and the day each was done:
-- "as it stood at the end of a cutoff" is then a sum over done_day <= cutoff
-- (queries/matured_days.sql) instead of a read of the records (30-80 ms for a city's month or
-- year; a like-for-like comparison needs one per period compared). Records still open have no
-- done_day and count in none of these. Streets and below are summed from the records when
-- asked (queries/matured_days_from_records.sql): at street level this table held about a row
-- per record (1.03 M rows at `default` scale) and made the marts larger than the raw data.
CREATE TABLE unit_done_daily AS
SELECT CAST(a.ancestor_level AS TINYINT) AS unit_level, a.ancestor_code AS unit_code, m.day, m.done_day,
       CAST(coalesce(sum(COLUMNS(m.* EXCLUDE (grid_code, day, done_day))), 0) AS BIGINT)
FROM (
    SELECT grid_code, day, done_day, apps_completed, apps_on_time, apps_handling_seconds, apps_rated, apps_rated_good
    FROM application_measures WHERE done_day IS NOT NULL
    UNION ALL BY NAME
    SELECT grid_code, day, done_day, events_closed, events_closed_on_time, events_close_seconds, hotline_rated,
           hotline_satisfied
    FROM event_measures WHERE done_day IS NOT NULL
) m JOIN grid_ancestors a ON a.grid_code = m.grid_code AND a.ancestor_level <= 2
GROUP BY ALL
ORDER BY unit_level, unit_code, day, done_day;
