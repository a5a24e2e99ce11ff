-- A governed match model. The hub no longer trains at start-up: a model is made by an explicit
-- action (POST /api/v1/match-models, or the shipped model on a hub's first start), stored here
-- with its version (MatchEngine.version: the SHA-256 of its weights and thresholds), and used only
-- once a person activates it. The latest activation is the active model.
create table match_model (
    version            text             primary key,
    -- MatchModelText: every weight, the prior and the term frequencies, overrides applied
    model              text             not null,
    merge_probability  double precision not null,
    review_probability double precision not null,
    origin             text             not null,
    trained_records    integer,
    training_pairs     integer,
    -- per evidence pattern of the training pairs: pairs, this model's mean probability and the
    -- active model's at the time (MatchModelTraining)
    calibration        jsonb            not null default '[]',
    created_at         timestamptz      not null,
    created_by         text             not null
);

create table match_model_activation (
    id               bigserial   primary key,
    version          text        not null references match_model (version),
    previous_version text        references match_model (version),
    activated_at     timestamptz not null,
    activated_by     text        not null,
    reason           text        not null,
    -- the dry run over the stored records that preceded the activation (MatchModelImpact)
    impact           jsonb,
    -- the merge-log entry (MODEL_ACTIVATED) that records it for auditors
    merge_log_seq    bigint
);

-- The evidence pattern of a review pair (MatchReviews.pattern, EvidencePattern): the verdict and
-- the level of every attribute both sides hold. A steward sees the open pairs counted by pattern
-- and may settle one pattern at once.
alter table match_review add column pattern text;
update match_review v
   set pattern = v.verdict || ': ' || coalesce(
       (select string_agg((e.value ->> 'comparison') || '=' || (e.value ->> 'level'), '; '
                          order by e.ordinality)
          from jsonb_array_elements(v.assessment -> 'breakdown') with ordinality as e(value, ordinality)
         where e.value ->> 'level' <> 'missing'),
       'nothing compared');
alter table match_review alter column pattern set not null;
create index match_review_pattern_idx on match_review (status, pattern);
-- most likely first: the order GET /api/v1/reviews lists them in
create index match_review_likely_idx on match_review (status, probability desc, id);
