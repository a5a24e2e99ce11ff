-- The kind of change each version was (CREATED, UPDATED, MERGED, UNMERGED, TAGS_CHANGED,
-- WITHDRAWN), as consumers were told. A rollback looks past TAGS_CHANGED versions when it checks
-- whether a member changed after an import: tags are re-derived from the records and the hand-given
-- tags, which a rollback keeps, so re-surviving loses nothing of them.
alter table member_version add column change_type text;
