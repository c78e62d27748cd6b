ALTER TABLE document_images DROP COLUMN extracted_sealed;
ALTER TABLE document_images DROP COLUMN extraction;
