-- The overview (GET /api/v1/overview) counts source records received per day over the last days.
-- Records arrive in time order, so a BRIN index on received_at narrows that count to the recent
-- blocks of the table for a few kilobytes, and an insert costs it next to nothing (a B-tree on
-- the same column would add a write per record to every import).
create index source_record_received_brin on source_record using brin (received_at);
