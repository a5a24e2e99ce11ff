-- What a pushing system (a webhook kind) has told the hub of each of its records so far: the merge
-- of every push for the record, flattened, so that a push carrying only the changed fields can be
-- completed into a whole record. Written before the record is queued; merging the same push twice
-- gives the same document, so a redelivered push is harmless.
create table connector_document (
    connector_id text        not null,
    source_key   text        not null,
    document     jsonb       not null,
    updated_at   timestamptz not null,
    primary key (connector_id, source_key)
);
