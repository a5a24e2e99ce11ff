-- Tags a person gave a member by hand (POST /api/v1/members/{id}/tags). A member's golden record
-- shows its own and those of the members merged into it, so a merge needs no tag moves and an
-- unmerge or rollback none either.
create table member_tag (
    member_id uuid        not null references member (id),
    name      text        not null,
    note      text        not null,
    added_by  text        not null,
    added_at  timestamptz not null,
    primary key (member_id, name)
);
