import { z } from 'zod';
import { containerKind, externalId, json, sourceRef } from './common.ts';

/**
 * A question stem in a paper or a practice bank; its parts are items.
 * Key: `${kind}/${containerId}/${stemId}`.
 */
export const questionDefined = z.object({
  kind: containerKind,
  containerId: externalId,
  subjectId: externalId,
  stemId: externalId,
  questionNumber: z.number().int(),
  stem: z.string(),
  stemDiagram: json,
  validationComment: z.string().nullable(),
  validationReason: z.string().nullable(),
  partCount: z.number().int().nonnegative(),
  source: sourceRef,
});
export type QuestionDefined = z.infer<typeof questionDefined>;
