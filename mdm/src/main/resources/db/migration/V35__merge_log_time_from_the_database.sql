-- An entry's time is the database's, not what the inserting role says: the hub's own role may
-- append entries, and could otherwise append one dated in the past, which the seal would then chain
-- in as if it had happened then. The time is the inserting transaction's (now()), which no client
-- can set, truncated to what a timestamptz holds so that the hash covers exactly what is stored.
create function merge_log_stamped() returns trigger
language plpgsql as $$
begin
    new.at := now();
    return new;
end;
$$;

create trigger merge_log_stamped before insert on merge_log
    for each row execute function merge_log_stamped();
