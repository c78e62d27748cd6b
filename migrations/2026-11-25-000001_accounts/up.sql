-- People who sign in: applicants, reviewers and admins.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    -- Stored normalised (trimmed, lower-case); the unique index is the duplicate check.
    email         text NOT NULL,
    password_hash text NOT NULL,
    roles         text[] NOT NULL DEFAULT ARRAY['applicant']::text[],
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_roles_known CHECK (roles <@ ARRAY['applicant', 'reviewer', 'admin']::text[] AND cardinality(roles) > 0)
);
SELECT diesel_manage_updated_at('users');

-- Opaque refresh tokens, stored as SHA-256 hashes. Each login starts a family; every refresh
-- spends one token and issues its successor in the same family. Presenting a spent token
-- revokes the whole family (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    CONSTRAINT refresh_tokens_hash_unique UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
