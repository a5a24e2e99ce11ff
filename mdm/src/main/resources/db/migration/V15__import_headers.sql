-- The header row of an uploaded file, in its order: the .xlsx report gives staff their own columns
-- back in the order they know (import_row.raw is jsonb, which does not keep key order).
alter table import_job add column headers jsonb;
