-- Which hub instance ran a sync: with several hubs on one database, one leads each connector and
-- another takes over when it dies; the runs show who did what.
alter table connector_run add column hub text;
