-- The review queue: one case per submitted attempt that the decision rules send to a person.
-- One reviewer holds a case at a time (the claim expires); a final rejection may wait for a
-- second reviewer (`awaiting_second`, with the first reviewer's proposal kept).
CREATE TABLE review_cases (
    verification_id  uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    attempt          integer NOT NULL,
    state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'awaiting_second', 'decided')),
    -- Why a person must look: reason codes of failed checks, `<kind>_inconclusive`, or
    -- `auto_approve_off`. Never PII.
    flags            text[] NOT NULL DEFAULT '{}',
    queued_at        timestamptz NOT NULL DEFAULT now(),
    claimed_by       uuid REFERENCES users (id),
    claim_expires_at timestamptz,
    proposal         jsonb,
    proposed_by      uuid REFERENCES users (id),
    decided_at       timestamptz,
    PRIMARY KEY (verification_id, attempt)
);
CREATE INDEX review_cases_queue_idx ON review_cases (queued_at, verification_id) WHERE state <> 'decided';
CREATE INDEX review_cases_flags_idx ON review_cases USING gin (flags);

-- Duplicate search: submitted verifications by document-number blind index.
CREATE INDEX verifications_document_number_hash_idx ON verifications (document_number_hash)
    WHERE document_number_hash IS NOT NULL;

-- Audit rows are insert-only for everyone but the table owner's triggers already refuse
-- changes; also take the privileges away from roles that merely have them by default.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at);
