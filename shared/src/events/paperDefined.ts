import { z } from 'zod';
import { externalId, sourceRef } from './common.ts';

/** One mock exam paper (without its questions, which are events of their own). Key: paperId. */
export const paperDefined = z.object({
  subjectId: externalId,
  paperId: externalId,
  board: z.string().nullable(),
  qualification: z.string().nullable(),
  subjectTitle: z.string().nullable(),
  paperType: z.string().nullable(),
  series: z.string().nullable(),
  tier: z.string().nullable(),
  paperNumber: z.string().nullable(),
  questionCount: z.number().int().nonnegative(),
  source: sourceRef,
});
export type PaperDefined = z.infer<typeof paperDefined>;
