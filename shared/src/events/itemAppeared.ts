import { z } from 'zod';
import { containerKind, externalId, json, sourceRef } from './common.ts';

/** What an item (a question part) says; appearances of one item may disagree on it. */
export const itemContent = z.object({
  questionType: z.string(),
  text: z.string(),
  markMax: z.number().int().nullable(),
  markScheme: z.string().nullable(),
  difficulty: z.number().int().nullable(),
  specificationPoint: z.string().nullable(),
  options: z.array(z.string()).nullable(),
  correctAnswer: z.union([z.number().int(), z.array(z.number().int())]).nullable(),
  diagram: json,
});
export type ItemContent = z.infer<typeof itemContent>;

/**
 * One appearance of an item (keyed by its part-level `questionID`) in a paper
 * or a practice bank. Key: `${kind}/${containerId}/${questionId}`.
 *
 * `position` is the part's ordinal in its source file: with `kind` it decides,
 * independently of consumption order, whose content becomes canonical
 * (paper beats practice, then the greater position).
 */
export const itemAppeared = z.object({
  kind: containerKind,
  containerId: externalId,
  subjectId: externalId,
  stemId: externalId,
  questionNumber: z.number().int(),
  part: z.number().int(),
  questionId: externalId,
  position: z.number().int().nonnegative(),
  lessonIds: z.array(externalId),
  content: itemContent,
  source: sourceRef,
});
export type ItemAppeared = z.infer<typeof itemAppeared>;
