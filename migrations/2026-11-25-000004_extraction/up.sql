-- What the machine read from an image (MRZ, barcode): a summary without PII (found, valid,
-- which check digits held) and the fields themselves, sealed like other PII.
ALTER TABLE document_images ADD COLUMN extraction jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE document_images ADD COLUMN extracted_sealed text;
