-- Every version of every golden record, with why it changed, so that
-- GET /api/v1/members/{id}/history can show what changed and why. Written in the transaction
-- that made the version.
create table member_version (
    member_id  uuid        not null references member (id),
    version    bigint      not null,
    golden     jsonb       not null,
    changed_at timestamptz not null,
    cause      text        not null,
    primary key (member_id, version)
);
