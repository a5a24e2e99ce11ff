-- When the tag rules were last swept over every member: with several hubs each hub's timer fires
-- in its own rhythm, and a hub skips its round when another swept less than half a period ago, so
-- that the members are swept about once a period whatever the number of hubs.
create table tag_sweep_run (
    one       boolean     primary key default true check (one),
    swept_at  timestamptz not null
);
