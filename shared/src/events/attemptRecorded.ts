import { z } from 'zod';
import { externalId, json, sourceRef } from './common.ts';

/**
 * One student attempt from the Firebase export, in a mock paper or in a
 * lesson's practice. Key: the Firebase path, which is the attempt's identity.
 *
 * Timestamps are normalised to ISO-8601 (Postgres-parseable) or null; the raw
 * value is always kept beside them, as given (so an unparseable one is not lost).
 */
export const attemptRecorded = z.object({
  path: z.string().min(1),
  uid: externalId,
  subjectId: externalId,
  context: z.enum(['mock', 'practice']),
  paperId: externalId.nullable(),
  lessonId: externalId.nullable(),
  questionId: externalId,
  bodyQuestionId: z.string().nullable(),
  createdAt: z.string().datetime({ offset: true }).nullable(),
  createdAtRaw: json,
  updatedAt: z.string().datetime({ offset: true }).nullable(),
  updatedAtRaw: json,
  isMarked: z.boolean().nullable(),
  userMark: z.number().finite().nullable(),
  userAnswer: json,
  annotatedAnswer: json,
  markingTable: z.string().nullable(),
  options: json,
  canvas: json,
  /** Fields the export had that the schema does not name, kept rather than dropped. */
  extra: z.record(z.string(), json),
  source: sourceRef,
});
export type AttemptRecorded = z.infer<typeof attemptRecorded>;
