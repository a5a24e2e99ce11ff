-- Golden members. A member merged into another keeps its row (its id still resolves) and points
-- at the survivor through merged_into; merged_into always names a live member (one hop).
create table member (
    id          uuid primary key,
    version     bigint      not null,
    merged_into uuid references member (id),
    golden      jsonb       not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create index member_merged_into_idx on member (merged_into) where merged_into is not null;

-- Every record a source system sent, raw and clean. (source, source_record_id) is the
-- idempotency key of ingest; content_hash tells a re-delivery from a change.
create table source_record (
    id                bigserial primary key,
    source            text        not null,
    source_record_id  text        not null,
    member_id         uuid        not null references member (id),
    raw               jsonb       not null,
    clean             jsonb       not null,
    content_hash      text        not null,
    match_evidence    jsonb       not null,
    source_updated_at timestamptz,
    received_at       timestamptz not null,
    updated_at        timestamptz not null,
    constraint source_record_natural_key unique (source, source_record_id)
);
create index source_record_member_idx on source_record (member_id);

-- Blocking / identity keys of source records (MOBILE:13812345678, MEMBER_CARD:pos-1:8800123).
create table match_key (
    key              text   not null,
    source_record_pk bigint not null references source_record (id) on delete cascade,
    primary key (key, source_record_pk)
);
create index match_key_record_idx on match_key (source_record_pk);

-- One upload of a file by a source.
create table import_job (
    id               uuid primary key,
    source           text        not null,
    file_name        text        not null,
    file_sha256      text        not null,
    format           text        not null,
    encoding         text,
    row_count        integer     not null,
    unmapped_columns jsonb       not null,
    created_at       timestamptz not null
);
create index import_job_source_idx on import_job (source, created_at);

-- One data row of an import and what became of it. Rows refused when the file was read never
-- reach the queue; the others are 'pending' until the ingest route has handled them.
create table import_row (
    import_id        uuid        not null references import_job (id),
    row_no           integer     not null,
    source_record_id text,
    outcome          text        not null,
    error            text,
    raw              jsonb       not null,
    processed_at     timestamptz,
    primary key (import_id, row_no)
);
