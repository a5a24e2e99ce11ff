-- How many records a connector has written back to its system (golden ids and tags), for its
-- status: records in and out side by side.
alter table connector_state add column records_out bigint not null default 0;
