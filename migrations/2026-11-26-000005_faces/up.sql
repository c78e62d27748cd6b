-- Faces: what the face step found on each image, the sealed 128-D descriptor (biometric data,
-- encrypted like PII), the active-liveness challenges, and the check results the pipeline reads.

CREATE TABLE image_faces (
    image_id uuid PRIMARY KEY REFERENCES document_images (id) ON DELETE CASCADE,
    -- Box, pose and quality metrics of the face: not biometric, shown to reviewers.
    summary jsonb NOT NULL,
    -- XChaCha20-Poly1305 of the 128-D descriptor, AAD "{image id}/face", key id inside.
    embedding_sealed text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE liveness_challenges (
    id uuid PRIMARY KEY,
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    -- ["turn_left", "move_closer", ...]
    actions jsonb NOT NULL,
    -- SHA-256 of the nonce: the nonce itself is only ever in the client's hands.
    nonce_hash bytea NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    passed boolean,
    report jsonb,
    -- Object-storage prefix of the frames while they are kept, and when they go.
    frames_prefix text,
    frames_purge_after timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX liveness_challenges_verification ON liveness_challenges (verification_id, created_at);
CREATE INDEX liveness_challenges_frames_purge ON liveness_challenges (frames_purge_after)
    WHERE frames_prefix IS NOT NULL;

CREATE TABLE checks (
    id uuid PRIMARY KEY,
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('quality', 'mrz', 'barcode', 'data_match', 'face_match', 'liveness',
                                       'expiry', 'age', 'duplicate')),
    result text NOT NULL CHECK (result IN ('pass', 'fail', 'inconclusive')),
    score double precision,
    -- [{"code": "face_mismatch", "step": "selfie", "field_paths": [...]}]
    reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (verification_id, attempt, kind)
);
