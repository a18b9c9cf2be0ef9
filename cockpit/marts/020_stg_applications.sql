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
-- is every breakdown (queries/services_breakdown.sql). Each is defined here once.
CREATE VIEW application_measures AS
SELECT grid_code, day, channel, applicant_type, item_id, dept_code, rating_reason,
       1 AS apps,
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
