-- The ingest keeps the blocks it read (key -> records -> members) in memory across chunks and
-- transactions (issue 18: an in-hub candidate index), and reads again only the blocks that changed
-- since. A row added to a block raises the block's row count, which a reader compares. What a count
-- cannot tell is a block that lost a row (a key row deleted: new content, erasure, rollback) or
-- whose record moved to another member (merge, unmerge, steward): every such change, whichever code
-- path makes it, is logged here by the triggers below, with the id of the transaction that made it.
-- A reader asks for the keys logged by transactions at or after the oldest one still running at its
-- previous look (pg_snapshot_xmin), so a change committed later is never missed (BlockCache).
create table match_block_change (
    xid       xid8        not null default pg_current_xact_id(),
    key       text        not null,
    logged_at timestamptz not null default clock_timestamp()
);
create index match_block_change_xid_idx on match_block_change (xid);
create index match_block_change_logged_idx on match_block_change (logged_at);

-- Entries are deleted a day after they were logged (BlockChangeLog.prune). A transaction open for
-- longer commits entries that are already that old: "below" is above every transaction id pruned,
-- and a hub whose watermark is lower than it empties its cache rather than miss one.
create table match_block_change_pruned (
    below xid8 not null
);
insert into match_block_change_pruned (below) values ('0');

-- key rows deleted, directly or by a cascade from source_record: one row per key per statement
create function match_block_key_gone() returns trigger
language plpgsql as $$
begin
    insert into match_block_change (key) select distinct key from gone;
    return null;
end;
$$;
create trigger match_block_key_gone after delete on match_key
    referencing old table as gone
    for each statement execute function match_block_key_gone();

-- a record moved to another member: its blocks now name another member
create function match_block_record_moved() returns trigger
language plpgsql as $$
begin
    insert into match_block_change (key)
        select key from match_key where source_record_pk = new.id;
    return null;
end;
$$;
create trigger match_block_record_moved after update of member_id on source_record
    for each row when (old.member_id is distinct from new.member_id)
    execute function match_block_record_moved();
