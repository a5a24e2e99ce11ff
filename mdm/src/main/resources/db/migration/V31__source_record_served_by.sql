-- The members a staff member serves (GET /api/v1/members?servedBy=…) are found by the serving staff
-- a source record names, inside the record as stored: raw -> 'servedBy' is an array such as
-- [{"source": "wecom-contacts-it", "staffId": "zhangwei"}], absent from records that name none.
-- The lookup is a containment test, raw -> 'servedBy' @> '[{"staffId": "zhangwei"}]', which this
-- index answers; jsonb_path_ops keeps it small, as containment is the only question asked of it.
-- A record that names no staff adds one null entry, so the index stays small where no connector
-- says who serves the customer.
create index source_record_served_by_idx
    on source_record using gin ((raw -> 'servedBy') jsonb_path_ops);
