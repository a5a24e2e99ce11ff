-- The merge log: one entry per new member, merge, unmerge, review decision and manual action, for
-- auditors. Append-only, enforced here rather than trusted to the application: UPDATE, DELETE and
-- TRUNCATE fail for every role that does not own the table and so cannot drop the triggers. Each
-- entry's hash is SHA-256 over the previous entry's hash and its own canonical text (see
-- MergeLog.canonical), so an edit made by an owner anyway shows up in GET /api/v1/merge-log/verify.
create table merge_log (
    seq            bigint      primary key,
    at             timestamptz not null,
    action         text        not null,
    member_ids     uuid[]      not null,
    source_records text[]      not null,
    actor          text        not null,
    -- kept as text, not jsonb, so that the hashed bytes are the stored bytes
    evidence       text        not null,
    prev_hash      text        not null,
    hash           text        not null
);
create index merge_log_members_idx on merge_log using gin (member_ids);
create index merge_log_records_idx on merge_log using gin (source_records);
create index merge_log_at_idx on merge_log (at);

create function merge_log_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'merge_log is append-only: % refused / 合并日志只能追加，拒绝 %', tg_op, tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger merge_log_no_update before update or delete on merge_log
    for each row execute function merge_log_is_append_only();
create trigger merge_log_no_truncate before truncate on merge_log
    for each statement execute function merge_log_is_append_only();
