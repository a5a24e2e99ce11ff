-- Connectors declared by instance files (onemember.connectors.dir): what each has done and where it
-- stands, kept in the database so that a restart (or another hub) goes on from there.

-- One row per connector that has run: paused by a person, its position (a cursor or page token for
-- kinds that keep one), its last success and failure.
create table connector_state (
    connector_id    text        primary key,
    paused          boolean     not null default false,
    position        text,
    last_success_at timestamptz,
    last_failure    text,
    last_failure_at timestamptz,
    updated_at      timestamptz not null
);

-- What a snapshot-diff kind (a POS table with no last-modified column) saw at its last sync: the
-- digest of each row's content by the row's key. A row is sent again only when its digest changes;
-- a digest is stored only after the row is safely queued.
create table connector_snapshot (
    connector_id text not null,
    source_key   text not null,
    digest       text not null,
    primary key (connector_id, source_key)
);

-- Every sync run, with its counts and, when it failed, what kind of failure: CONFIGURATION (fix the
-- instance file), TRANSIENT (network, database restarting: retried) or SOURCE_SYSTEM (the system
-- answered with an error).
create table connector_run (
    id               bigserial   primary key,
    connector_id     text        not null,
    started_at       timestamptz not null,
    ended_at         timestamptz,
    records_read     integer     not null default 0,
    records_queued   integer     not null default 0,
    records_rejected integer     not null default 0,
    -- rows gone from the system since the last sync: their source records withdrawn
    records_withdrawn integer    not null default 0,
    failure_kind     text,
    failure          text
);
create index connector_run_connector_idx on connector_run (connector_id, id desc);

-- A record a connector read but could not use, or could use only in part, with the reason in
-- words and the record as it came: never only logged (GET /api/v1/connectors/{id}/rejections).
create table connector_rejection (
    id               bigserial   primary key,
    connector_id     text        not null,
    source_record_id text,
    reason           text        not null,
    -- true: the record was kept, and the reason names the values left out (the ingest's warnings)
    kept             boolean     not null default false,
    raw              jsonb       not null,
    at               timestamptz not null
);
create index connector_rejection_connector_idx on connector_rejection (connector_id, id desc);
