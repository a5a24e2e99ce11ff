-- A steward's decision on a review pair: SAME merges the two members, DIFFERENT stores a
-- separation so that no later record merges them; either way the merge log has an entry.
alter table match_review add column decision text;
alter table match_review add column note text;
alter table match_review add column decided_by text;
alter table match_review add column decided_at timestamptz;
