-- The person being verified. Belongs to a signed-in user (and, later, to an integrator).
CREATE TABLE applicants (
    id         uuid PRIMARY KEY,
    user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT applicants_user_unique UNIQUE (user_id)
);

-- One verification of an applicant at a level. Retries are new attempts of the same row;
-- verification_attempts keeps the history of each submitted attempt.
CREATE TABLE verifications (
    id                   uuid PRIMARY KEY,
    applicant_id         uuid NOT NULL REFERENCES applicants (id) ON DELETE CASCADE,
    level                text NOT NULL,
    status               text NOT NULL DEFAULT 'draft',
    attempt              integer NOT NULL DEFAULT 1,
    -- Per step: {"status": "...", "field_paths": [...]}; the step list comes from the level.
    steps                jsonb NOT NULL,
    issuing_country      text,
    document_type        text,
    -- PII: each field encrypted on its own (XChaCha20-Poly1305, AAD = id + field name).
    pii                  jsonb,
    pii_key_id           text,
    -- Keyed hash (HMAC-SHA-256) of country + type + normalised number, for duplicate search.
    document_number_hash bytea,
    -- The last decision: {"decision", "reject_type", "reasons": [...], "message", ...}.
    decision             jsonb,
    submitted_at         timestamptz,
    decided_at           timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT verifications_status_known CHECK (status IN
        ('draft', 'submitted', 'processing', 'in_review', 'action_required', 'approved', 'rejected', 'expired', 'abandoned'))
);
SELECT diesel_manage_updated_at('verifications');
-- One active verification per applicant.
CREATE UNIQUE INDEX verifications_one_active_idx ON verifications (applicant_id)
    WHERE status NOT IN ('approved', 'rejected', 'expired', 'abandoned');
CREATE INDEX verifications_document_hash_idx ON verifications (document_number_hash);
CREATE INDEX verifications_status_idx ON verifications (status, submitted_at);

CREATE TABLE verification_attempts (
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    attempt         integer NOT NULL,
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    outcome         text,
    decision        jsonb,
    PRIMARY KEY (verification_id, attempt)
);

-- Stored images (document sides, selfie): re-encoded, metadata-free, under PII-free keys.
CREATE TABLE document_images (
    id              uuid PRIMARY KEY,
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    attempt         integer NOT NULL,
    kind            text NOT NULL,
    storage_key     text NOT NULL,
    -- SHA-256 of the bytes as uploaded (byte-identical re-uploads) and as stored.
    upload_sha256   bytea NOT NULL,
    stored_sha256   bytea NOT NULL,
    content_type    text NOT NULL,
    byte_size       integer NOT NULL,
    width           integer NOT NULL,
    height          integer NOT NULL,
    quality         jsonb NOT NULL DEFAULT '{}'::jsonb,
    replaced_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT document_images_kind_known CHECK (kind IN ('front', 'back', 'selfie'))
);
CREATE UNIQUE INDEX document_images_one_current_idx ON document_images (verification_id, kind)
    WHERE replaced_at IS NULL;

-- Images refused by the quality gate, by hash: the same bytes get the same answer again.
CREATE TABLE refused_images (
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    upload_sha256   bytea NOT NULL,
    kind            text NOT NULL,
    reasons         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (verification_id, kind, upload_sha256)
);

-- Idempotency-Key: the first response to a creating POST, replayed for the same key and body.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key           text NOT NULL,
    request_hash  bytea NOT NULL,
    status_code   integer,
    response_body jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
