-- The transactional outbox: one row per change of a golden record, written in the transaction that
-- made the change. Rows get their feed position right after commit (GoldenEvents.position(), one
-- positioner at a time under an advisory lock), in the order they are found committed, so that a
-- reader that has seen position n never later finds a committed event below n: the change feed's
-- cursor and the topic relay both rest on that.
create table golden_event (
    seq           bigserial primary key,
    event_id      uuid        not null unique,
    position      bigint unique,
    type          text        not null,
    member_id     uuid        not null,
    version       bigint      not null,
    origin_source text,
    occurred_at   timestamptz not null,
    payload       jsonb       not null
);
create index golden_event_unpositioned_idx on golden_event (seq) where position is null;
create index golden_event_member_idx on golden_event (member_id, position);

-- How far each relay has published the feed.
create table outbox_relay (
    name     text primary key,
    position bigint not null
);

-- Events a consuming system's webhook did not accept after every retry, kept until replayed (and
-- after, with when). payload is the exact body that was posted.
create table dead_letter (
    id          bigserial primary key,
    consumer    text        not null,
    event_id    uuid        not null,
    member_id   uuid        not null,
    position    bigint,
    payload     jsonb       not null,
    attempts    integer     not null,
    last_error  text        not null,
    failed_at   timestamptz not null,
    replayed_at timestamptz,
    constraint dead_letter_once unique (consumer, event_id)
);
create index dead_letter_pending_idx on dead_letter (consumer, id) where replayed_at is null;
