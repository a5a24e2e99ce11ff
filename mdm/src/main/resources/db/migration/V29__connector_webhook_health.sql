-- When a connector's system last pushed to the hub, and what the system said of its webhooks when
-- the hub last asked (WooCommerce disables a webhook after repeated failures and tells nobody):
-- shown on the connector's status so that IT staff see a webhook that went quiet.
alter table connector_state add column last_push_at timestamptz;
alter table connector_state add column webhooks_checked_at timestamptz;
alter table connector_state add column webhook_problems jsonb;
