DROP INDEX IF EXISTS audit_events_occurred_idx;
DROP INDEX IF EXISTS verifications_document_number_hash_idx;
DROP TABLE review_cases;
