-- Cross-device handoff: a one-time link (only its SHA-256 is kept) that a phone exchanges for a
-- short-lived capture session (only its SHA-256 is kept too), good for one verification's
-- photos and nothing else.

CREATE TABLE handoffs (
    id uuid PRIMARY KEY,
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    -- The account that asked for the link (the verification's owner).
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the link token: the token itself is only in the link.
    token_hash bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    -- Set once, when the phone exchanges the link for a capture session.
    opened_at timestamptz,
    session_hash bytea UNIQUE,
    session_expires_at timestamptz,
    -- The phone said it is done (the session ends with it).
    completed_at timestamptz,
    -- A newer link or the desktop's "continue here" ended it.
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((opened_at IS NULL) = (session_hash IS NULL))
);
CREATE INDEX handoffs_verification ON handoffs (verification_id, created_at);
