-- Up Migration
--
-- Exports are snapshots (DESIGN §3; docs/DECISIONS.md record 18).
--
--  * first_seen_at is when the first import that held the record ran: the
--    producers carry it in each message's headers, so a replay writes the
--    same value, and it is content (checksummed) like any column. Derived rows
--    take the earliest of their inputs (items that of their appearances'
--    item_first_seen_at, users that of their attempts' user_first_seen_at).
--  * last_seen_at goes: every row still present belongs to its source's
--    latest complete snapshot (keys a snapshot no longer holds are removed),
--    so the time a row was last seen is that snapshot's time, kept once per
--    source in source_snapshots rather than written into every row.
--  * projection_stats counts deleted rows beside inserted / updated / unchanged.
--  * attempts get the (uid, question_id) index the task names: "has this user
--    attempted this item", and GET /users/:id/activity?item=…

ALTER TABLE subjects DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE units DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE topics DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE lessons DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE papers DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE questions DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE items DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE item_lessons DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE practice_banks DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE users DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE attempts DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;
ALTER TABLE rejections DROP COLUMN last_seen_at, ALTER COLUMN first_seen_at DROP DEFAULT;

-- When any appearance of the item (any attempt of the user) was first seen, as the event said.
ALTER TABLE item_appearances
  DROP COLUMN last_seen_at,
  ALTER COLUMN first_seen_at DROP DEFAULT,
  ADD COLUMN item_first_seen_at timestamptz;
UPDATE item_appearances SET item_first_seen_at = first_seen_at;
ALTER TABLE item_appearances ALTER COLUMN item_first_seen_at SET NOT NULL;

ALTER TABLE attempts ADD COLUMN user_first_seen_at timestamptz;
UPDATE attempts SET user_first_seen_at = first_seen_at;
ALTER TABLE attempts ALTER COLUMN user_first_seen_at SET NOT NULL;

CREATE INDEX attempts__uid_question_id_created_at_path__idx ON attempts (uid, question_id, created_at DESC, path DESC);

ALTER TABLE projection_stats ADD COLUMN deleted bigint NOT NULL DEFAULT 0;

-- The latest complete snapshot of each source (snapshotTaken): its files and
-- its time, which is when every row from those files was last seen.
CREATE TABLE source_snapshots (
  source          text NOT NULL,
  files           text[] NOT NULL,
  taken_at        timestamptz NOT NULL,
  read            integer NOT NULL,
  removed         integer NOT NULL,
  kafka_topic     text NOT NULL,
  kafka_partition integer NOT NULL,
  kafka_offset    bigint NOT NULL,
  CONSTRAINT source_snapshots__source PRIMARY KEY (source)
);
