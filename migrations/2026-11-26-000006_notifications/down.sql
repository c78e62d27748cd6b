DROP TABLE notifications;
ALTER TABLE applicants
    DROP CONSTRAINT applicants_language_known,
    DROP COLUMN language,
    DROP COLUMN phone_sealed,
    DROP COLUMN email_enabled,
    DROP COLUMN sms_enabled;
