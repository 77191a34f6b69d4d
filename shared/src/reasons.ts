import { z } from 'zod';

/** Why a source record was rejected (DESIGN §4). Reports, rejection events and tests use these words. */
export const rejectionReason = z.enum([
  'unparseable_key',
  'invalid_body',
  'missing_lesson_id',
  'missing_question_id',
  'missing_paper_id',
  'too_large',
  'invalid_record',
]);
export type RejectionReason = z.infer<typeof rejectionReason>;

/** What was kept but is worth counting (DESIGN §3–§4). */
export const warningReason = z.enum([
  'question_id_mismatch',
  'invalid_timestamp',
  'nul_removed',
  'duplicate_lesson_id',
  'duplicate_bank_lesson_id',
  'conflicting_item_content',
  'unknown_lesson',
  'unresolved_question',
  'updated_before_created',
  'numeric_string_coerced',
  'unpaired_surrogate_replaced',
  'timestamp_in_seconds',
  'implausible_timestamp',
  'negative_mark_max',
  'part_number_from_position',
]);
export type WarningReason = z.infer<typeof warningReason>;

/** The four sources of DESIGN §2; each is one kind of file per subject. */
export const sourceName = z.enum(['users', 'course', 'practices', 'exams']);
export type SourceName = z.infer<typeof sourceName>;
