-- A customer's request for the data the hub holds of them, as their shop passed it on (Shopify's
-- customers/data_request), kept so that the shop's owner can be given what the hub holds. The
-- request quotes the customer's e-mail and phone: erasing the record deletes its requests.
create table connector_data_request (
    id           bigserial   primary key,
    connector_id text        not null,
    source_key   text        not null,
    request      jsonb       not null,
    received_at  timestamptz not null
);
create index connector_data_request_idx on connector_data_request (connector_id, id desc);
