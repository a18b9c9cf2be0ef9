-- Applications (办件) as the marts count them. Rules, each a data-quality fault of the source:
--   * one row per app_id (a re-sent record is a duplicate, the latest ingested copy is kept);
--   * rows without a unit cannot be placed in the hierarchy and are left out;
--   * rows whose submit time is after the moment they were ingested are future-dated and left out.
-- The services breakdowns (by channel, applicant type, item, department), the handling-time
-- histogram and the rating reasons are summed from these records when a page asks: at grid
-- level a day holds about one application, so a stored table by day, grid and dimensions held
-- as many rows as the records (1.10 M for 1.10 M applications at `default` scale). So the
-- records are kept lean: only the columns a query, measure or rule reads; times to the second
-- (TIMESTAMP_S: the precision every duration measure uses, a fifth of the table's size saved);
-- ordered by district, then time, so that a unit reads only its district's row groups and a
-- period only its days.
CREATE TABLE stg_applications AS
SELECT a.app_id, a.grid_code, CAST(a.submit_time AS DATE) AS day, CAST(a.submit_time AS TIMESTAMP_S) AS submit_time,
       CAST(a.complete_time AS TIMESTAMP_S) AS complete_time, CAST(a.ingested_at AS TIMESTAMP_S) AS ingested_at,
       a.item_id, a.dept_code,
       CAST(a.channel AS VARCHAR) AS channel, CAST(a.applicant_type AS VARCHAR) AS applicant_type,
       a.applicant_name, a.applicant_phone, CAST(a.status AS VARCHAR) AS status, a.promised_days,
       a.is_full_online, a.is_cross_district, a.rating, a.rating_reason,
       a.status = 'completed' AND a.complete_time <= a.submit_time + to_days(a.promised_days) AS is_on_time
FROM raw_applications a LEFT JOIN grid_ancestors d ON d.grid_code = a.grid_code AND d.ancestor_level = 2
WHERE a.grid_code IS NOT NULL AND a.submit_time <= a.ingested_at
QUALIFY row_number() OVER (PARTITION BY a.app_id ORDER BY a.ingested_at DESC) = 1
ORDER BY d.ancestor_code, a.submit_time;

-- The services measures of one application: unit_daily's apps_* columns are their sums, and so
-- is every breakdown (queries/services_breakdown.sql). Each is defined here once. `done_day`
-- (not a measure) is the day its outcome became known: the maturing measures (kpis.MATURING:
-- completions, on-time counts, handling time, ratings) are what it gains that day, so an
-- earlier period can be summed as it stood at any age (queries/matured_days.sql).
CREATE VIEW application_measures AS
SELECT app_id, grid_code, day, channel, applicant_type, item_id, dept_code, rating_reason,
       CASE WHEN status = 'completed' THEN CAST(complete_time AS DATE) END AS done_day,
       1 AS apps,
       CAST(coalesce(status = 'processing', false) AS INTEGER) AS apps_open,
       CAST(coalesce(channel IN ('online', 'mobile'), false) AS INTEGER) AS apps_online,
       CAST(coalesce(is_full_online, false) AS INTEGER) AS apps_full_online,
       CAST(coalesce(is_cross_district, false) AS INTEGER) AS apps_cross_district,
       CAST(coalesce(status = 'completed', false) AS INTEGER) AS apps_completed,
       CAST(coalesce(is_on_time, false) AS INTEGER) AS apps_on_time,
       CASE WHEN status = 'completed' THEN coalesce(date_diff('second', submit_time, complete_time), 0) ELSE 0 END
           AS apps_handling_seconds,
       CAST(rating IS NOT NULL AS INTEGER) AS apps_rated,
       CAST(coalesce(rating >= 4, false) AS INTEGER) AS apps_rated_good
FROM stg_applications;

-- The same measures as they stood at the end of `cutoff` (NULL: as they stand): the maturing
-- ones (kpis.MATURING) of an application done after it are 0, as it was still open then.
CREATE MACRO application_measures_at(cutoff) AS TABLE
SELECT * REPLACE (
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN apps_completed ELSE 0 END AS apps_completed,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN apps_on_time ELSE 0 END AS apps_on_time,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN apps_handling_seconds ELSE 0 END AS apps_handling_seconds,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN apps_rated ELSE 0 END AS apps_rated,
    CASE WHEN cutoff IS NULL OR done_day <= cutoff THEN apps_rated_good ELSE 0 END AS apps_rated_good)
FROM application_measures;
