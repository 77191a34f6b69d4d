-- Up Migration
--
-- Every committed change of a table the curriculum reads (GET /lessons,
-- /papers, /items) is announced on the channel `medly_projection`, with the
-- table's name as payload (docs/DECISIONS.md record 23). The API's response
-- cache LISTENs there and empties itself.
--
--  * Statement triggers, not code in the projector: every writer is covered,
--    the batch transactions, replay's TRUNCATE, removals, a migration's
--    backfill, a hand-made fix, without any of them remembering to.
--  * NOTIFY inside a transaction is delivered when it commits, and not at
--    all when it rolls back; identical payloads of one transaction are sent
--    once, so a batch announces each table it wrote once.
--  * A statement that touched no row still announces its table (a statement
--    trigger cannot tell without transition tables, which would copy every
--    written row): an extra invalidation, never a missed one. attempts,
--    users, rejections and the bookkeeping tables carry no trigger, so the
--    steady flow of attempts and profile changes never empties the cache.
--    api/src/curriculumCache.int.test.ts checks that every table the
--    curriculum queries read has one.

CREATE FUNCTION announce_projection_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('medly_projection', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER subjects__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON subjects
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER units__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER topics__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER lessons__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lessons
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER practice_banks__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON practice_banks
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER papers__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON papers
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER questions__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON questions
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER items__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON items
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER item_appearances__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON item_appearances
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
CREATE TRIGGER item_lessons__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON item_lessons
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
-- lastSeenAt is the time of the latest complete snapshot of the record's file.
CREATE TRIGGER source_snapshots__announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON source_snapshots
  FOR EACH STATEMENT EXECUTE FUNCTION announce_projection_change();
