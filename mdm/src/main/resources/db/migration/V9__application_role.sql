-- The hub no longer runs as the owner of its tables. Flyway migrates as the owner; the hub connects
-- as a login role that is a member of the group role onemember_app, which may read and write every
-- table but may only read and append to merge_log: no UPDATE, DELETE or TRUNCATE there, refused by
-- PostgreSQL's privilege check before any trigger runs. The one change an entry ever gets, sealing
-- it into the hash chain, goes through merge_log_seal(), a SECURITY DEFINER function that runs as
-- the owner and accepts only a contiguous continuation of the chain. The triggers of V5/V8 stay as
-- a second guard, for the owner itself.
--
-- On an external database a DBA may have created onemember_app already (then the migration user
-- needs no CREATEROLE); otherwise it is created here, without login.
do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'onemember_app') then
        create role onemember_app nologin;
    end if;
exception when insufficient_privilege then
    raise exception 'the role onemember_app is missing and % may not create it', current_user
        using errcode = 'insufficient_privilege',
              hint = 'As a DBA: create role onemember_app nologin; then a login role in it for the'
                     ' hub (README, "Database roles").';
end $$;

-- Seals entries [seqs[i]] at positions [chain_positions[i]] with [prev_hashes[i]] and [hashes[i]],
-- all in one call, as MergeLog.seal() computed them. Refuses anything that is not the exact
-- continuation of the chain: the first position must follow the last sealed one, each previous-hash
-- must be the hash before it, each entry must still be unsealed. Takes the sealers' advisory lock
-- (MergeLog.SEAL_LOCK, "onemblog") itself, so a caller that forgot it cannot fork the chain.
create function merge_log_seal(
    seqs bigint[], chain_positions bigint[], prev_hashes text[], hashes text[])
returns integer
language plpgsql
security definer
as $$
declare
    n integer := coalesce(array_length(seqs, 1), 0);
    head_pos bigint;
    head_hash text;
    sealed integer;
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
      from merge_log where chain_pos is not null order by chain_pos desc limit 1;
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
    update merge_log m
       set chain_pos = u.pos, prev_hash = u.prev, hash = u.h
      from unnest(seqs, chain_positions, prev_hashes, hashes) as u(seq, pos, prev, h)
     where m.seq = u.seq and m.hash is null;
    get diagnostics sealed = row_count;
    if sealed <> n then
        raise exception 'merge_log_seal: % of % entries are missing or sealed already', n - sealed, n
            using errcode = 'integrity_constraint_violation';
    end if;
    return sealed;
end;
$$;

do $$
declare
    s text := current_schema();
begin
    -- a SECURITY DEFINER function must not find objects a caller planted earlier in its path
    execute format('alter function merge_log_seal(bigint[], bigint[], text[], text[])'
                   ' set search_path = %I, pg_temp', s);

    execute format('grant usage on schema %I to onemember_app', s);
    execute format('grant select, insert, update, delete on all tables in schema %I'
                   ' to onemember_app', s);
    execute format('grant usage, select on all sequences in schema %I to onemember_app', s);
    execute format('grant execute on all functions in schema %I to onemember_app', s);
    -- tables, sequences and functions that later migrations create (as this same user)
    execute format('alter default privileges in schema %I'
                   ' grant select, insert, update, delete on tables to onemember_app', s);
    execute format('alter default privileges in schema %I'
                   ' grant usage, select on sequences to onemember_app', s);
    execute format('alter default privileges in schema %I'
                   ' grant execute on functions to onemember_app', s);
    -- Flyway's own history is the migration user's business
    execute format('revoke all on table %I.%I from onemember_app',
                   '${flyway:defaultSchema}', '${flyway:table}');
end $$;

-- the merge log: read and append only
revoke update, delete, truncate on merge_log from onemember_app;
grant select, insert on merge_log to onemember_app;
revoke all on function merge_log_seal(bigint[], bigint[], text[], text[]) from public;
grant execute on function merge_log_seal(bigint[], bigint[], text[], text[]) to onemember_app;
