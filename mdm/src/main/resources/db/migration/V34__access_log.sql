-- Who read or revealed which member's personal data, when, by which operation and why (PIPL's
-- records of processing). Apart from the merge log: it records reads, not changes, and is far
-- more frequent. Holds ids and reasons only, no personal data.
create table access_log (
    seq       bigserial   primary key,
    at        timestamptz not null,
    actor     text        not null,
    role      text        not null,
    member_id uuid        not null,
    action    text        not null check (action in ('READ', 'REVEAL')),
    operation text        not null,
    reason    text
);
create index access_log_member_idx on access_log (member_id, seq);
create index access_log_actor_idx on access_log (actor, seq);
