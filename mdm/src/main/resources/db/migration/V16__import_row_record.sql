-- The source record each accepted row was mapped to, exactly as it was queued: a hub that stopped
-- (or was killed) between storing an import's rows and queuing them all sends the pending ones
-- again at start-up from here, without reading the file again.
alter table import_row add column record jsonb;
create index import_row_pending_idx on import_row (import_id, row_no) where outcome = 'pending';
