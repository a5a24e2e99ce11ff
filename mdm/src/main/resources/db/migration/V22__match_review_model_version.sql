-- The version of the match model and thresholds that left a pair to a steward (MatchEngine.version),
-- as the record's match evidence and the merge log name it. Reviews opened before this have none.
alter table match_review add column model_version text;
