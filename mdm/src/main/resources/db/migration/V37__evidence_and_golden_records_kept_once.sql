-- Each thing stored once (issue 18, leaner rows).
--
-- The evidence of the decision that linked a record was kept twice: in source_record.match_evidence
-- and in the merge-log entry that names the record, where auditors read it. Nothing read the
-- first copy; it goes. (Entries of merges, unmerges and rollbacks keep the evidence of each change.)
alter table source_record drop column match_evidence;

-- A golden event of a member's new version no longer copies the golden record into its payload:
-- it is the version's, kept in member_version, and GoldenEvents.after puts it back when the event
-- is read. Events written before this migration keep their copy and are read as they are.
comment on column golden_event.payload is
    'The event as published, without "member" when the event''s (member_id, version) is in'
    ' member_version: the golden record is read from there.';
