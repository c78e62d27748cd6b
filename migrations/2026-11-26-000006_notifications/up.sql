-- Notification settings of an applicant. The phone number is PII: sealed like the personal
-- information (AAD = applicant id + "phone"). language NULL means "not chosen yet": the
-- Accept-Language of the applicant's requests fills it in.
ALTER TABLE applicants
    ADD COLUMN language      text,
    ADD COLUMN phone_sealed  text,
    ADD COLUMN email_enabled boolean NOT NULL DEFAULT true,
    ADD COLUMN sms_enabled   boolean NOT NULL DEFAULT true,
    ADD CONSTRAINT applicants_language_known CHECK (language IS NULL OR language IN ('en', 'zh-CN', 'es'));

-- The notification outbox: rows are written in the transaction that changes a
-- verification's status, one per channel; workers claim them with FOR UPDATE SKIP LOCKED.
-- The content is rendered at delivery from ids, so no PII (address, phone, name) is kept here.
CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    verification_id uuid NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    attempt         integer NOT NULL,
    event           text NOT NULL,
    channel         text NOT NULL,
    -- verification id : attempt : event : channel — the same event is never queued twice.
    dedup_key       text NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    -- Delivery attempts so far; the cap is EKYC_NOTIFY_MAX_ATTEMPTS.
    attempts        integer NOT NULL DEFAULT 0,
    run_at          timestamptz NOT NULL DEFAULT now(),
    locked_at       timestamptz,
    locked_by       text,
    last_error      text,
    -- The provider's id of the sent message (SMTP queue id / SMS sid).
    provider_ref    text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_dedup_unique UNIQUE (dedup_key),
    CONSTRAINT notifications_channel_known CHECK (channel IN ('email', 'sms')),
    CONSTRAINT notifications_event_known CHECK (event IN ('submission_received', 'action_required', 'approved', 'rejected')),
    CONSTRAINT notifications_status_known CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped'))
);
SELECT diesel_manage_updated_at('notifications');
CREATE INDEX notifications_ready_idx ON notifications (run_at) WHERE status = 'pending';
CREATE INDEX notifications_status_idx ON notifications (status, created_at);
CREATE INDEX notifications_verification_idx ON notifications (verification_id);
