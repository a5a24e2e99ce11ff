-- What rolling back one import (POST /api/v1/imports/{id}/rollback) needs to know: which import
-- brought each source record, changed each record, wrote each member version and caused each
-- member merge. Rows written before this migration carry no import and cannot be rolled back.

-- The import whose row first brought the record; null when it came another way (a connector).
alter table source_record add column import_id uuid;
create index source_record_import_idx on source_record (import_id) where import_id is not null;

-- The earlier contents of a source record, kept whenever a source sends a change to it: nothing a
-- source sent is lost, and rolling back the import that changed it puts the earlier content back.
create table source_record_revision (
    id                 bigserial primary key,
    source_record_pk   bigint      not null references source_record (id) on delete cascade,
    raw                jsonb       not null,
    clean              jsonb       not null,
    content_hash       text        not null,
    source_updated_at  timestamptz,
    replaced_at        timestamptz not null,
    replaced_by_import uuid
);
create index source_record_revision_record_idx on source_record_revision (source_record_pk);
create index source_record_revision_import_idx on source_record_revision (replaced_by_import)
    where replaced_by_import is not null;

alter table member_version add column import_id uuid;
create index member_version_import_idx on member_version (import_id) where import_id is not null;

-- Every merge of one member into another, with the records it took along and the members that
-- pointed at it, so that the merge can be undone exactly.
create table member_merge (
    id                bigserial primary key,
    survivor_id       uuid        not null references member (id),
    absorbed_id       uuid        not null references member (id),
    moved_records     bigint[]    not null,
    repointed_members uuid[]      not null,
    import_id         uuid,
    merged_at         timestamptz not null
);
create index member_merge_survivor_idx on member_merge (survivor_id);
create index member_merge_absorbed_idx on member_merge (absorbed_id);
create index member_merge_import_idx on member_merge (import_id) where import_id is not null;

-- A member an import created and its rollback withdrew. The row stays so that its id, which other
-- systems may hold, answers "withdrawn" rather than "unknown".
alter table member add column withdrawn_at timestamptz;
alter table member add column withdrawn_because text;

alter table import_job add column rolled_back_at timestamptz;
alter table import_job add column rolled_back_by text;
alter table import_job add column rollback_reason text;
