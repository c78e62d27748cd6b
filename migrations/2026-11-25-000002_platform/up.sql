-- Fixed-window counters for rate limits, shared by every API replica.
-- Buckets carry no PII: account buckets use a hash of the normalised email.
CREATE TABLE rate_limits (
    bucket       text NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL DEFAULT 0,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_expires_idx ON rate_limits (expires_at);

-- Append-only record of who did what. Never holds PII: ids, actions and codes only.
CREATE TABLE audit_events (
    id            bigserial PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid,
    action        text NOT NULL,
    subject_type  text NOT NULL,
    subject_id    text NOT NULL,
    request_id    text,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at);

-- Audit rows cannot be changed or removed through any role, the table owner included.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The background job queue: workers claim rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL,
    payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- Enqueuing twice with the same key is a no-op while the first is queued or running.
    dedup_key    text,
    status       text NOT NULL DEFAULT 'queued',
    attempts     integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 8,
    run_at       timestamptz NOT NULL DEFAULT now(),
    locked_at    timestamptz,
    locked_by    text,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT jobs_status_known CHECK (status IN ('queued', 'running', 'done', 'dead'))
);
SELECT diesel_manage_updated_at('jobs');
CREATE INDEX jobs_ready_idx ON jobs (run_at) WHERE status = 'queued';
CREATE UNIQUE INDEX jobs_dedup_active_idx ON jobs (dedup_key)
    WHERE dedup_key IS NOT NULL AND status IN ('queued', 'running');
