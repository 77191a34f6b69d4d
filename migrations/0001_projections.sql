-- Up Migration
--
-- The projector's tables: the normalized read model of the events on the
-- topics (which stay the source of truth), plus the projector's own
-- bookkeeping (checkpoints, projection_stats, import_runs).
--
-- Conventions
--  * Natural keys from the exports are text (lesson ids, question ids,
--    Firebase paths); timestamps are timestamptz; free-form JSON (canvas,
--    diagrams, options, answers) is jsonb.
--  * No foreign keys between entities that arrive independently: events come
--    in any order (an item before its lesson, an attempt before its item), so
--    links are kept as given and resolved by joins at read time.
--  * Every projected row carries provenance: source_file and source_pointer
--    (an RFC 6901 pointer into it), first_seen_at (first applied) and
--    last_seen_at (last changed), and kafka_topic / kafka_partition /
--    kafka_offset of the event last applied. These are volatile and left out
--    of content checksums; everything else is content.
--  * Constraints are named <table>__<cols>; indexes <table>__<cols>__idx.
--  * Forward only: a later change is a new numbered file.

-- A subject (one course / practices / exams file set). Derived from lessons,
-- banks and papers; each title is the first non-null one in a fixed order
-- (banks, then papers, then by source file and pointer), so the row does not
-- depend on which event arrived first.
CREATE TABLE subjects (
  subject_id      text NOT NULL,
  title           text,
  exam_board      text,
  qualification   text,
  source_file     text,
  source_pointer  text,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT subjects__subject_id PRIMARY KEY (subject_id)
);

-- A unit of a course, derived from its lessons (course file only; a bank that
-- names a unit the course lacks does not invent one).
CREATE TABLE units (
  subject_id      text NOT NULL,
  unit_index      integer NOT NULL,
  title           text NOT NULL,
  source_file     text,
  source_pointer  text,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT units__subject_id_unit_index PRIMARY KEY (subject_id, unit_index)
);

-- A topic inside a unit, derived from its lessons.
CREATE TABLE topics (
  subject_id      text NOT NULL,
  unit_index      integer NOT NULL,
  topic_index     integer NOT NULL,
  title           text NOT NULL,
  source_file     text,
  source_pointer  text,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT topics__subject_id_unit_index_topic_index PRIMARY KEY (subject_id, unit_index, topic_index)
);

-- A course lesson (lessonDefined). Its unit and topic: units/topics on
-- (subject_id, unit_index[, topic_index]).
CREATE TABLE lessons (
  lesson_id       text NOT NULL,
  subject_id      text NOT NULL,
  unit_index      integer NOT NULL,
  topic_index     integer NOT NULL,
  lesson_index    integer NOT NULL,
  title           text NOT NULL,
  source_file     text NOT NULL,
  source_pointer  text NOT NULL,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT lessons__lesson_id PRIMARY KEY (lesson_id)
);
CREATE INDEX lessons__subject_id_unit_index_topic_index_lesson_index__idx
  ON lessons (subject_id, unit_index, topic_index, lesson_index);

-- A mock exam paper (paperDefined); its items: item_appearances kind 'paper'.
CREATE TABLE papers (
  paper_id        text NOT NULL,
  subject_id      text NOT NULL,
  board           text,
  qualification   text,
  subject_title   text,
  paper_type      text,
  series          text,
  tier            text,
  paper_number    text,
  question_count  integer NOT NULL,
  source_file     text NOT NULL,
  source_pointer  text NOT NULL,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT papers__paper_id PRIMARY KEY (paper_id)
);

-- A question stem in a paper or a practice bank (questionDefined); its parts
-- are item_appearances with the same kind, container_id and stem_id.
-- container_id is the paper_id (kind 'paper') or the bank's lesson_id ('practice').
CREATE TABLE questions (
  kind               text NOT NULL,
  container_id       text NOT NULL,
  stem_id            text NOT NULL,
  subject_id         text NOT NULL,
  question_number    integer NOT NULL,
  stem               text NOT NULL,
  stem_diagram       jsonb,
  validation_comment text,
  validation_reason  text,
  part_count         integer NOT NULL,
  source_file        text NOT NULL,
  source_pointer     text NOT NULL,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  kafka_topic        text,
  kafka_partition    integer,
  kafka_offset       bigint,
  CONSTRAINT questions__kind_container_id_stem_id PRIMARY KEY (kind, container_id, stem_id),
  CONSTRAINT questions__kind CHECK (kind IN ('paper', 'practice'))
);
CREATE INDEX questions__kind_container_id_question_number__idx
  ON questions (kind, container_id, question_number);

-- One appearance of an item (itemAppeared) in a paper or a practice bank,
-- with the content as that source gives it. content_hash is the SHA-256 of
-- the content as key-sorted JSON, computed by the projector
-- (projections/itemAppearances.ts); position is the part's ordinal in its
-- source file.
CREATE TABLE item_appearances (
  kind                text NOT NULL,
  container_id        text NOT NULL,
  question_id         text NOT NULL,
  subject_id          text NOT NULL,
  stem_id             text NOT NULL,
  question_number     integer NOT NULL,
  part                integer NOT NULL,
  position            integer NOT NULL,
  lesson_ids          text[] NOT NULL,
  question_type       text NOT NULL,
  text                text NOT NULL,
  mark_max            integer,
  mark_scheme         text,
  difficulty          integer,
  specification_point text,
  options             jsonb,
  correct_answer      jsonb,
  diagram             jsonb,
  content_hash        text NOT NULL,
  source_file         text NOT NULL,
  source_pointer      text NOT NULL,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at        timestamptz NOT NULL DEFAULT now(),
  kafka_topic         text,
  kafka_partition     integer,
  kafka_offset        bigint,
  CONSTRAINT item_appearances__kind_container_id_question_id PRIMARY KEY (kind, container_id, question_id),
  CONSTRAINT item_appearances__kind CHECK (kind IN ('paper', 'practice'))
);
-- every appearance of one item (GET /items/:questionID, canonical recompute)
CREATE INDEX item_appearances__question_id__idx ON item_appearances (question_id);
-- a paper's items and a lesson's practice items, in order, keyset-paginated
CREATE INDEX item_appearances__kind_container_id_question_number_part__idx
  ON item_appearances (kind, container_id, question_number, part, question_id);

-- The canonical item, one per questionID, recomputed from item_appearances by
-- DESIGN §3's rule (paper beats practice, then the greater position, then the
-- greater container_id): canonical_kind / canonical_container_id say whose
-- content won; appearance_count and content_variants (distinct content_hash
-- values, > 1 = conflicting_item_content) describe the rest.
CREATE TABLE items (
  question_id            text NOT NULL,
  subject_id             text NOT NULL,
  question_type          text NOT NULL,
  text                   text NOT NULL,
  mark_max               integer,
  mark_scheme            text,
  difficulty             integer,
  specification_point    text,
  options                jsonb,
  correct_answer         jsonb,
  diagram                jsonb,
  content_hash           text NOT NULL,
  canonical_kind         text NOT NULL,
  canonical_container_id text NOT NULL,
  appearance_count       integer NOT NULL,
  content_variants       integer NOT NULL,
  source_file            text NOT NULL,
  source_pointer         text NOT NULL,
  first_seen_at          timestamptz NOT NULL DEFAULT now(),
  last_seen_at           timestamptz NOT NULL DEFAULT now(),
  kafka_topic            text,
  kafka_partition        integer,
  kafka_offset           bigint,
  CONSTRAINT items__question_id PRIMARY KEY (question_id)
);

-- Item ↔ lesson links, one per appearance that makes them (an exam part's
-- lessonIDs[], a practice bank's lesson). Deliberately no foreign key to
-- lessons: a link to a lesson that is not there (yet) is kept, and resolves
-- by itself when the lesson arrives. Read `resolved` from item_lesson_links.
CREATE TABLE item_lessons (
  question_id     text NOT NULL,
  lesson_id       text NOT NULL,
  kind            text NOT NULL,
  container_id    text NOT NULL,
  source_file     text NOT NULL,
  source_pointer  text NOT NULL,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT item_lessons__question_id_lesson_id_kind_container_id PRIMARY KEY (question_id, lesson_id, kind, container_id)
);
CREATE INDEX item_lessons__lesson_id_question_id__idx ON item_lessons (lesson_id, question_id);

CREATE VIEW item_lesson_links AS
  SELECT il.question_id, il.lesson_id, il.kind, il.container_id,
         EXISTS (SELECT 1 FROM lessons l WHERE l.lesson_id = il.lesson_id) AS resolved
  FROM item_lessons il;

-- A lesson's practice bank (practiceBankDefined), keyed by its lesson_id
-- (the bank's lessonID, else its original_lessonID, which is kept). Its items:
-- item_appearances kind 'practice' with container_id = lesson_id. chunks is
-- the bank's [{index, title}] as given.
CREATE TABLE practice_banks (
  lesson_id          text NOT NULL,
  subject_id         text NOT NULL,
  original_lesson_id text,
  exam_board         text,
  qualification      text,
  subject_title      text,
  unit_index         integer,
  unit_title         text,
  topic_index        integer,
  topic_title        text,
  lesson_index       integer,
  lesson_title       text,
  chunks             jsonb NOT NULL,
  question_count     integer NOT NULL,
  source_file        text NOT NULL,
  source_pointer     text NOT NULL,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  kafka_topic        text,
  kafka_partition    integer,
  kafka_offset       bigint,
  CONSTRAINT practice_banks__lesson_id PRIMARY KEY (lesson_id)
);

-- A user: every uid seen in an attempt path or a profile event.
-- first_seen / last_seen / attempt_count are recomputed from attempts (the
-- earliest createdAt, else updatedAt; the latest of either); display_name and
-- metadata come only from userProfileChanged (profile_changed_at is its time).
-- source_* names the user's first attempt by path (null for a profile-only user).
CREATE TABLE users (
  uid                text NOT NULL,
  display_name       text,
  metadata           jsonb,
  profile_changed_at timestamptz,
  first_seen         timestamptz,
  last_seen          timestamptz,
  attempt_count      integer NOT NULL DEFAULT 0,
  source_file        text,
  source_pointer     text,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  kafka_topic        text,
  kafka_partition    integer,
  kafka_offset       bigint,
  CONSTRAINT users__uid PRIMARY KEY (uid)
);

-- One attempt (attemptRecorded), keyed by its Firebase path. question_id is
-- the path's (authoritative); body_question_id is what the body said.
-- created_at / updated_at are null when the export's value could not be
-- understood; *_raw keep the value as given.
CREATE TABLE attempts (
  path             text NOT NULL,
  uid              text NOT NULL,
  subject_id       text NOT NULL,
  context          text NOT NULL,
  paper_id         text,
  lesson_id        text,
  question_id      text NOT NULL,
  body_question_id text,
  created_at       timestamptz,
  created_at_raw   jsonb,
  updated_at       timestamptz,
  updated_at_raw   jsonb,
  is_marked        boolean,
  user_mark        double precision,
  user_answer      jsonb,
  annotated_answer jsonb,
  marking_table    text,
  options          jsonb,
  canvas           jsonb,
  extra            jsonb NOT NULL,
  source_file      text NOT NULL,
  source_pointer   text NOT NULL,
  first_seen_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  kafka_topic      text,
  kafka_partition  integer,
  kafka_offset     bigint,
  CONSTRAINT attempts__path PRIMARY KEY (path),
  CONSTRAINT attempts__context CHECK (context IN ('mock', 'practice'))
);
-- a user's activity, newest first (keyset on created_at, path)
CREATE INDEX attempts__uid_created_at_path__idx ON attempts (uid, created_at DESC, path DESC);
CREATE INDEX attempts__paper_id_created_at_path__idx ON attempts (paper_id, created_at DESC, path DESC) WHERE paper_id IS NOT NULL;
CREATE INDEX attempts__lesson_id_created_at_path__idx ON attempts (lesson_id, created_at DESC, path DESC) WHERE lesson_id IS NOT NULL;
CREATE INDEX attempts__question_id_created_at_path__idx ON attempts (question_id, created_at DESC, path DESC);

-- Records that never became events (recordRejected from the producers,
-- origin 'producer'), and events the projector could not decode (dead
-- letters, origin 'projector', file = 'kafka:<topic>', pointer =
-- '/<partition>/<offset>'). reason is a DESIGN §4 code (or, for dead letters,
-- undecodable_event / invalid_event / unprojectable_event).
CREATE TABLE rejections (
  file            text NOT NULL,
  pointer         text NOT NULL,
  origin          text NOT NULL,
  source          text,
  reason          text NOT NULL,
  message         text NOT NULL,
  excerpt         text NOT NULL,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  CONSTRAINT rejections__file_pointer PRIMARY KEY (file, pointer),
  CONSTRAINT rejections__origin CHECK (origin IN ('producer', 'projector'))
);
CREATE INDEX rejections__reason__idx ON rejections (reason);

-- Per consumer group, topic and partition: the next offset to apply
-- (last applied + 1). Written in the same transaction as the rows it covers.
CREATE TABLE checkpoints (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  partition      integer NOT NULL,
  next_offset    bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT checkpoints__consumer_group_topic_partition PRIMARY KEY (consumer_group, topic, partition),
  CONSTRAINT checkpoints__next_offset CHECK (next_offset >= 0)
);

-- Cumulative row counts per projected table, moved in each batch's
-- transaction: a run's report is the difference of two readings.
CREATE TABLE projection_stats (
  table_name text NOT NULL,
  inserted   bigint NOT NULL DEFAULT 0,
  updated    bigint NOT NULL DEFAULT 0,
  unchanged  bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projection_stats__table_name PRIMARY KEY (table_name)
);

-- One `pnpm import` run and its report (DESIGN §5 shape).
CREATE TABLE import_runs (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  status       text NOT NULL DEFAULT 'running',
  data_dir     text NOT NULL,
  topic_prefix text NOT NULL,
  report       jsonb,
  error        text,
  CONSTRAINT import_runs__id PRIMARY KEY (id),
  CONSTRAINT import_runs__status CHECK (status IN ('running', 'succeeded', 'failed'))
);
CREATE INDEX import_runs__started_at__idx ON import_runs (started_at DESC);
