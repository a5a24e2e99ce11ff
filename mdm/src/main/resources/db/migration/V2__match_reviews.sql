-- Pairs the matcher could not settle: an incoming source record and a member it fits in the
-- review band (or fits as well as the member it joined). A data steward decides them later.
create table match_review (
    id                  bigserial primary key,
    source_record_pk    bigint           not null references source_record (id),
    record_member_id    uuid             not null references member (id),
    candidate_member_id uuid             not null references member (id),
    probability         double precision not null,
    verdict             text             not null,
    assessment          jsonb            not null,
    status              text             not null default 'OPEN',
    created_at          timestamptz      not null,
    constraint match_review_pair unique (source_record_pk, candidate_member_id)
);
create index match_review_open_idx on match_review (status, id);
