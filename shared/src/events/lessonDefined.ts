import { z } from 'zod';
import { externalId, sourceRef } from './common.ts';

/** One lesson of a course file, with the unit and topic it sits in. Key: lessonId. */
export const lessonDefined = z.object({
  subjectId: externalId,
  unitIndex: z.number().int(),
  unitTitle: z.string(),
  topicIndex: z.number().int(),
  topicTitle: z.string(),
  lessonIndex: z.number().int(),
  lessonId: externalId,
  title: z.string(),
  source: sourceRef,
});
export type LessonDefined = z.infer<typeof lessonDefined>;
