-- scope: none (reference names)
-- Names of departments and service items.
SELECT 'dept_code' AS kind, dept_code AS key, dept_name AS name_zh, dept_name_en AS name_en FROM departments
UNION ALL
SELECT 'item_id', item_id, item_name, item_name FROM items
ORDER BY kind, key
