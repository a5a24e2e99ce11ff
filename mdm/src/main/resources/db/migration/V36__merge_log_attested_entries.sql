-- Each entry the hub writes from now on carries an attestation: a MAC over what the hub decided
-- (action, members, records, actor, evidence and a nonce), computed with a key that only the hub
-- holds (MergeLogKey), never the database. Anyone who can log in as the hub's role can still
-- insert a row, but not one with a valid attestation, and GET /api/v1/merge-log/verify names it.
-- A copy of a real entry's attestation is refused outright: attestations are unique.
--
-- The database also records which of its roles inserted each entry (db_role, the session's login
-- role), set here like the time (V35), whatever the inserting statement said; the seal's hash
-- covers both new columns.
alter table merge_log add column attestation text;
alter table merge_log add column db_role text;
create unique index merge_log_attestation_idx on merge_log (attestation) where attestation is not null;
-- An entry without one, or with something that is not one, is refused at once; a well-formed fake
-- gets in, and verify names it. NOT VALID: entries from before this migration keep their null.
alter table merge_log add constraint merge_log_attested
    check (attestation is not null and attestation ~ '^[A-Za-z0-9_-]{22}\.[0-9a-f]{64}$') not valid;

-- The position in the log is the sequence's too: a row that named its own seq could slip in among
-- the entries from before attestations, which verify does not ask for one.
create or replace function merge_log_stamped() returns trigger
language plpgsql as $$
begin
    new.seq := nextval('merge_log_seq');
    new.at := now();
    new.db_role := session_user;
    return new;
end;
$$;

-- Entries written before this migration have no attestation; every later one must. The boundary
-- is kept where the hub's role cannot move it.
create table merge_log_attested_from (
    seq bigint not null
);
insert into merge_log_attested_from (seq)
    select coalesce(max(seq), 0) + 1 from merge_log;
revoke insert, update, delete, truncate on merge_log_attested_from from onemember_app;
grant select on merge_log_attested_from to onemember_app;

-- Sealing remains the one change an entry ever gets: the new columns may not change either.
create or replace function merge_log_is_append_only() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.hash is null and new.hash is not null
       and old.chain_pos is null and new.chain_pos is not null
       and (new.seq, new.at, new.action, new.member_ids, new.source_records, new.actor,
            new.evidence, new.attestation, new.db_role)
           is not distinct from
           (old.seq, old.at, old.action, old.member_ids, old.source_records, old.actor,
            old.evidence, old.attestation, old.db_role) then
        return new; -- sealing: the one change an entry ever gets
    end if;
    raise exception 'merge_log is append-only: % refused / 合并日志只能追加，拒绝 %', tg_op, tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
