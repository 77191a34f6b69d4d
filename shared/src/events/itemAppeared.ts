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

/** Longer is not a label: the part is an `invalid_record`. */
export const PART_LABEL_MAX_CHARS = 64;

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
  /** The order within the question: a numeric label's number, else the part's ordinal (producers/normalize/partOrder.ts). */
  part: z.number().int(),
  /**
   * `question_part` as given, as text ("2", "1a"), or null when it had none.
   * Defaults to null so events written before it existed still read.
   */
  partLabel: z.string().min(1).max(PART_LABEL_MAX_CHARS).nullable().default(null),
  questionId: externalId,
  position: z.number().int().nonnegative(),
  lessonIds: z.array(externalId),
  content: itemContent,
  source: sourceRef,
});
export type ItemAppeared = z.infer<typeof itemAppeared>;
