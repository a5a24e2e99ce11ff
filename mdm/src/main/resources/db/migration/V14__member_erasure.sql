-- A member whose personal data was erased on request (POST /api/v1/members/{id}/erase). The row
-- stays so that its id answers "erased" rather than "unknown"; its source records stay as
-- tombstones (source, id and content hash only) so that a source re-sending the same record does
-- not bring the person back.
alter table member add column erased_at timestamptz;
alter table member add column erased_because text;
