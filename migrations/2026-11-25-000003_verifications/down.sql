DROP TABLE idempotency_keys;
DROP TABLE refused_images;
DROP TABLE document_images;
DROP TABLE verification_attempts;
DROP TABLE verifications;
DROP TABLE applicants;
