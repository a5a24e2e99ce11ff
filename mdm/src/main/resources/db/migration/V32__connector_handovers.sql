-- A customer a person asked a system to hand from a staff member who left to another (WeCom's
-- 离职继承), while the system carries it out (WeCom: 24 hours unless the customer refuses). Meanwhile
-- WeCom lists the customer under no one, and a complete read would withdraw the record of the
-- relationship with the staff member who left; the pending handover keeps it until the read shows
-- the customer with the new staff member (taken_key), or for at most three days.
create table connector_handover (
    connector_id text        not null,
    source_key   text        not null,
    taken_key    text        not null,
    requested_at timestamptz not null,
    primary key (connector_id, source_key)
);
