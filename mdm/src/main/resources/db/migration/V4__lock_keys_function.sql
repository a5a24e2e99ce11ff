-- Takes transaction-scoped advisory locks on a set of 64-bit key hashes in ascending order, in one
-- round trip. The order matters: two ingests locking overlapping key sets in the same order can
-- never wait on each other in a cycle. (A SELECT over unnest() does not promise an order of
-- evaluation, hence the loop.)
create function onemember_lock_keys(keys bigint[]) returns void
language plpgsql as $$
declare
    k bigint;
begin
    foreach k in array (select coalesce(array_agg(distinct x order by x), '{}') from unnest(keys) x)
    loop
        perform pg_advisory_xact_lock(k);
    end loop;
end;
$$;
