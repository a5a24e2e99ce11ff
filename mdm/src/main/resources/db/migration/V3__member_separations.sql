-- "These two members are different people", as a data steward (or an unmerge) decided. The matcher
-- never merges them again, even when a new record fits both. Stored once per pair, smaller id
-- first; a member merged into another later passes its separations on to the survivor (the
-- matcher resolves both ids through member.merged_into).
create table member_separation (
    member_a   uuid        not null references member (id),
    member_b   uuid        not null references member (id),
    reason     text        not null,
    actor      text        not null,
    created_at timestamptz not null,
    primary key (member_a, member_b),
    constraint member_separation_ordered check (member_a < member_b)
);
create index member_separation_b_idx on member_separation (member_b);
