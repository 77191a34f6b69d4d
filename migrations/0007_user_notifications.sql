-- Up Migration
--
-- Every committed change of a user's rows (their attempts, their profile) is
-- announced on the channel `medly_users`, with the uid as payload; TRUNCATE
-- announces the empty string: every user (docs/DECISIONS.md record 24). The
-- API keeps each user's activity and progress answers until an announcement
-- names that user, or a curriculum change (migration 0006) empties them all.
--
--  * A row trigger, not a statement trigger like 0006's: the payload must
--    name the user, and a statement trigger would need transition tables,
--    which copy every written row (measured on the 100× attempts, 107,765
--    rows by COPY: +35 % against +3 to +10 % for this row trigger).
--  * Identical payloads of one transaction are sent once, at commit: a batch
--    announces each user it touched once, and a rolled-back one nobody.
--  * Its own channel: a user's change never empties the curriculum cache.

CREATE FUNCTION announce_user_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('medly_users', '');
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('medly_users', OLD.uid);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.uid IS DISTINCT FROM OLD.uid) THEN
    PERFORM pg_notify('medly_users', NEW.uid);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER attempts__announce_user AFTER INSERT OR UPDATE OR DELETE ON attempts
  FOR EACH ROW EXECUTE FUNCTION announce_user_change();
CREATE TRIGGER attempts__announce_users AFTER TRUNCATE ON attempts
  FOR EACH STATEMENT EXECUTE FUNCTION announce_user_change();
CREATE TRIGGER users__announce_user AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION announce_user_change();
CREATE TRIGGER users__announce_users AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION announce_user_change();
