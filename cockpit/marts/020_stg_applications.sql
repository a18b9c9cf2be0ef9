-- Applications (办件) as the marts count them. Rules, each a data-quality fault of the source:
--   * one row per app_id (a re-sent record is a duplicate, the latest ingested copy is kept);
--   * rows without a unit cannot be placed in the hierarchy and are left out;
--   * rows whose submit time is after the moment they were ingested are future-dated and left out.
CREATE TABLE stg_applications AS
SELECT app_id, item_id, dept_code, grid_code, applicant_name, applicant_phone,
       CAST(channel AS VARCHAR) AS channel, CAST(applicant_type AS VARCHAR) AS applicant_type, bundle_id,
       is_full_online, is_cross_district, promised_days,
       submit_time, accept_time, complete_time, CAST(status AS VARCHAR) AS status,
       rating, rating_reason, ingested_at,
       CAST(submit_time AS DATE) AS day,
       channel IN ('online', 'mobile') AS is_online,
       status = 'completed' AS is_completed,
       status = 'completed' AND complete_time <= submit_time + to_days(promised_days) AS is_on_time,
       date_diff('second', submit_time, complete_time) AS handling_seconds
FROM raw_applications
WHERE grid_code IS NOT NULL AND submit_time <= ingested_at
QUALIFY row_number() OVER (PARTITION BY app_id ORDER BY ingested_at DESC) = 1
ORDER BY grid_code, submit_time;
