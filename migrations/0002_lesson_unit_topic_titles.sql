-- Up Migration
--
-- Lessons keep the unit and topic titles their event carries: units and topics
-- are derived from lessons (a deterministic pick per unit / topic), so the
-- titles must live on the lesson rows for the derivation not to depend on
-- which lesson event arrived last.
ALTER TABLE lessons
  ADD COLUMN unit_title  text NOT NULL DEFAULT '',
  ADD COLUMN topic_title text NOT NULL DEFAULT '';
ALTER TABLE lessons
  ALTER COLUMN unit_title DROP DEFAULT,
  ALTER COLUMN topic_title DROP DEFAULT;
