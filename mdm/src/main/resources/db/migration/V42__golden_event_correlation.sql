-- The work a golden event came from (an upload, a connector run, a push; Correlation in mdm.trace),
-- as its log lines name it: an operator follows one id from the upload to the published events.
-- Null for events recorded before this column, and for work that carried none (a steward's merge).
alter table golden_event add column correlation_id text;
