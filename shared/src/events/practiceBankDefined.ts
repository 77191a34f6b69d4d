import { z } from 'zod';
import { externalId, sourceRef } from './common.ts';

/**
 * One lesson's practice bank (without its questions). Key: lessonId, which is
 * the bank's `lessonID`, or its `original_lessonID` when that is missing.
 */
export const practiceBankDefined = z.object({
  subjectId: externalId,
  lessonId: externalId,
  originalLessonId: z.string().nullable(),
  examBoard: z.string().nullable(),
  qualification: z.string().nullable(),
  subjectTitle: z.string().nullable(),
  unitIndex: z.number().int().nullable(),
  unitTitle: z.string().nullable(),
  topicIndex: z.number().int().nullable(),
  topicTitle: z.string().nullable(),
  lessonIndex: z.number().int().nullable(),
  lessonTitle: z.string().nullable(),
  chunks: z.array(z.object({ index: z.number().int(), title: z.string() })),
  questionCount: z.number().int().nonnegative(),
  source: sourceRef,
});
export type PracticeBankDefined = z.infer<typeof practiceBankDefined>;
