-- A merge-log entry was sealed by updating its row after commit: every entry (about 2.5 KB with
-- its evidence, and five index entries) was written twice, and the append-only guard had to let
-- that one update through (issue 18: insert-only seals). Seals now go into their own table,
-- merge_log_chain, and merge_log is never updated: the guard refuses every UPDATE, DELETE and
-- TRUNCATE, to the owner too. A trigger queues each new entry in merge_log_unsealed, in the entry's
-- own transaction; merge_log_seal(...) takes the committed ones, checks that they continue the
-- chain, inserts their seals and takes them off the queue, as the table's owner.
-- merge_log_chained reads an entry with its seal, as merge_log read before.
create table merge_log_chain (
    seq       bigint primary key references merge_log (seq),
    chain_pos bigint not null unique,
    prev_hash text   not null,
    hash      text   not null
);
insert into merge_log_chain (seq, chain_pos, prev_hash, hash)
    select seq, chain_pos, prev_hash, hash from merge_log where chain_pos is not null;

create table merge_log_unsealed (
    seq bigint primary key
);
insert into merge_log_unsealed (seq) select seq from merge_log where hash is null;

-- as the owner: the hub's role may not write the queue itself (a row it queued for an entry that
-- is sealed already, or not written yet, would stop the sealer or every later append)
create function merge_log_queued() returns trigger
language plpgsql
security definer
as $$
begin
    insert into merge_log_unsealed (seq) values (new.seq);
    return null;
end;
$$;
create trigger merge_log_queued after insert on merge_log
    for each row execute function merge_log_queued();

drop index merge_log_unsealed_idx;
alter table merge_log drop column chain_pos;
alter table merge_log drop column prev_hash;
alter table merge_log drop column hash;

-- nothing is ever updated now, not even to seal
create or replace function merge_log_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only: % refused / 合并日志只能追加，拒绝 %', tg_table_name, tg_op, tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger merge_log_chain_no_update before update or delete on merge_log_chain
    for each row execute function merge_log_is_append_only();
create trigger merge_log_chain_no_truncate before truncate on merge_log_chain
    for each statement execute function merge_log_is_append_only();

create view merge_log_chained as
    select l.seq, l.at, l.action, l.member_ids, l.source_records, l.actor, l.evidence,
           l.attestation, l.db_role, c.chain_pos, c.prev_hash, c.hash
      from merge_log l left join merge_log_chain c on c.seq = l.seq;

-- Seals entries [seqs[i]] at positions [chain_positions[i]] with [prev_hashes[i]] and [hashes[i]],
-- as MergeLog.seal() computed them; refuses anything that is not the exact continuation of the
-- chain, or an entry that is not waiting to be sealed. Same signature and checks as V9's.
create or replace function merge_log_seal(
    seqs bigint[], chain_positions bigint[], prev_hashes text[], hashes text[])
returns integer
language plpgsql
security definer
as $$
declare
    n integer := coalesce(array_length(seqs, 1), 0);
    head_pos bigint;
    head_hash text;
    taken integer;
begin
    if n = 0 then
        return 0;
    end if;
    if coalesce(array_length(chain_positions, 1), 0) <> n
       or coalesce(array_length(prev_hashes, 1), 0) <> n
       or coalesce(array_length(hashes, 1), 0) <> n then
        raise exception 'merge_log_seal: the four arrays must have the same length'
            using errcode = 'invalid_parameter_value';
    end if;
    perform pg_advisory_xact_lock(8029466706125287271); -- 0x6f6e656d626c6f67, "onemblog"
    select chain_pos, hash into head_pos, head_hash
      from merge_log_chain order by chain_pos desc limit 1;
    head_pos := coalesce(head_pos, 0);
    head_hash := coalesce(head_hash, repeat('0', 64));
    if exists (
        select
          from unnest(chain_positions, prev_hashes, hashes) with ordinality as u(pos, prev, h, i)
         where u.pos is distinct from head_pos + u.i
            or u.h is null or u.h !~ '^[0-9a-f]{64}$'
            or u.prev is distinct from
               case when u.i = 1 then head_hash else hashes[u.i - 1] end) then
        raise exception 'merge_log_seal: not a continuation of the chain at position %', head_pos + 1
            using errcode = 'integrity_constraint_violation';
    end if;
    delete from merge_log_unsealed q where q.seq = any(seqs);
    get diagnostics taken = row_count;
    if taken <> n then
        raise exception 'merge_log_seal: % of % entries are missing or sealed already', n - taken, n
            using errcode = 'integrity_constraint_violation';
    end if;
    insert into merge_log_chain (seq, chain_pos, prev_hash, hash)
        select u.seq, u.pos, u.prev, u.h
          from unnest(seqs, chain_positions, prev_hashes, hashes) as u(seq, pos, prev, h);
    return n;
end;
$$;

do $$
declare
    s text := current_schema();
begin
    execute format('alter function merge_log_seal(bigint[], bigint[], text[], text[])'
                   ' set search_path = %I, pg_temp', s);
    execute format('alter function merge_log_queued() set search_path = %I, pg_temp', s);
end $$;

-- the hub's role reads seals and queues entries (through the trigger, as itself); only the seal
-- function, as the owner, writes seals and empties the queue
revoke insert, update, delete, truncate on merge_log_chain from onemember_app;
grant select on merge_log_chain to onemember_app;
revoke insert, update, delete, truncate on merge_log_unsealed from onemember_app;
grant select on merge_log_unsealed to onemember_app;
grant select on merge_log_chained to onemember_app;
