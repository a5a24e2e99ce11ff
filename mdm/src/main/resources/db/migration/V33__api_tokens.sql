-- Named bearer tokens with a role (POST /api/v1/tokens). Only the SHA-256 of a token is kept: the
-- tokens are 24 random bytes, so a fast hash cannot be searched back to one. Revoked tokens stay,
-- so that their names (the actors in the merge log) are never given to someone else.
create table api_token (
    name         text        primary key,
    role         text        not null check (role in ('admin', 'it', 'steward', 'auditor', 'system')),
    system       text,
    token_sha256 bytea       not null unique,
    created_at   timestamptz not null,
    created_by   text        not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    check ((role = 'system') = (system is not null))
);
