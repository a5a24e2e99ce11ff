-- An event's feed position was set by updating its row after commit: every event was written twice,
-- its payload and three index entries each time, and left a dead row version behind (issue 18:
-- insert-only positions). Events are now written once. The positioner takes the committed events
-- from a small queue (golden_event_unpositioned, filled by a trigger in the event's own
-- transaction), and inserts their positions into golden_event_position, in the order it finds them
-- committed, one positioner at a time, as before (GoldenEvents.position()).
create table golden_event_position (
    position bigint primary key,
    seq      bigint not null unique references golden_event (seq)
);
insert into golden_event_position (position, seq)
    select position, seq from golden_event where position is not null;

create table golden_event_unpositioned (
    seq bigint primary key
);
insert into golden_event_unpositioned (seq)
    select seq from golden_event where position is null;

-- as the owner: the hub's role only takes positioned events off the queue, it never adds to it
create function golden_event_queued() returns trigger
language plpgsql
security definer
as $$
begin
    insert into golden_event_unpositioned (seq) values (new.seq);
    return null;
end;
$$;
do $$
begin
    execute format('alter function golden_event_queued() set search_path = %I, pg_temp',
                   current_schema());
end $$;
create trigger golden_event_queued after insert on golden_event
    for each row execute function golden_event_queued();

drop index golden_event_unpositioned_idx;
-- the member index served only erasures, which find a member's events by member_id alone
drop index golden_event_member_idx;
alter table golden_event drop column position;
create index golden_event_member_idx on golden_event (member_id);

revoke insert, update, truncate on golden_event_unpositioned from onemember_app;
