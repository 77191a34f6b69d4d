-- Up Migration
--
-- The projector recomputes a subject's row in every batch that touches one of
-- its lessons, practice banks or papers, and the units and topics of every
-- lesson a batch touches (projector/src/projections/subjects.ts,
-- lessonGroups.ts). Aggregating all of a subject's rows each time made an
-- import quadratic in the size of a subject: at 100×, 138 subject recomputes
-- took 9.4 s of the import's 70 s of statements (1.2 s at 30×). With these
-- indexes each value is the first row of an index scan: the first non-null
-- title, board and qualification by (source file, pointer), the earliest
-- first_seen_at, and the first row for provenance. A topic's few lessons and
-- a unit's first lesson come from
-- lessons__subject_id_unit_index_topic_index_lesson_index__idx.

CREATE INDEX lessons__subject_id_source_file_source_pointer__idx ON lessons (subject_id, source_file, source_pointer);
CREATE INDEX lessons__subject_id_first_seen_at__idx ON lessons (subject_id, first_seen_at);
CREATE INDEX lessons__subject_id_unit_index_first_seen_at__idx ON lessons (subject_id, unit_index, first_seen_at);
CREATE INDEX practice_banks__subject_id_source_file_source_pointer__idx ON practice_banks (subject_id, source_file, source_pointer);
CREATE INDEX practice_banks__subject_id_first_seen_at__idx ON practice_banks (subject_id, first_seen_at);
CREATE INDEX papers__subject_id_source_file_source_pointer__idx ON papers (subject_id, source_file, source_pointer);
CREATE INDEX papers__subject_id_first_seen_at__idx ON papers (subject_id, first_seen_at);
