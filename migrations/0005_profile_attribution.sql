-- Up Migration
--
-- Who last changed a user's profile through the API (userProfileChanged's
-- changedBy): `user:<uid>` for a user token's subject, `service:<name>` for a
-- service token. Null for a profile never changed, or changed by an event
-- written before changes were attributed.

ALTER TABLE users
  ADD COLUMN profile_changed_by text,
  ADD CONSTRAINT users__profile_changed_by CHECK (char_length(profile_changed_by) BETWEEN 1 AND 300);
