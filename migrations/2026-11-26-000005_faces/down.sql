DROP TABLE checks;
DROP TABLE liveness_challenges;
DROP TABLE image_faces;
