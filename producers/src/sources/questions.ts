/**
 * A question stem and its parts, as papers (exams) and practice banks both
 * hold them: one QuestionDefined for the stem and one ItemAppeared per part.
 * The part's `questionID` is the item's identity; a part without one is
 * `missing_question_id`. `position` is the part's ordinal in its file, counted
 * over every part slot (rejected ones too) so it never depends on validity.
 * A part's order and label come from `question_part` (normalize/partOrder.ts):
 * a part labelled "1a" is kept, ordered by its place in its question. A
 * negative `markmax` is no mark maximum: null, counted (`negative_mark_max`).
 */
import type { ItemAppeared, ItemContent } from '@medly/shared/events/itemAppeared';
import type { QuestionDefined } from '@medly/shared/events/questionDefined';
import { childPointer } from '../jsonPointer.ts';
import { partOrderOf } from '../normalize/partOrder.ts';
import { isObject, optional, type Recorder } from './recorder.ts';

export interface QuestionContainer {
  kind: 'paper' | 'practice';
  containerId: unknown;
  subjectId: string;
  file: string;
  /** The lessons a part links to: a practice part its bank's lesson, a paper part the ones it names. */
  lessonIdsOf(part: Record<string, unknown>): unknown;
}

/** How many part slots a raw question holds (0 when it is not a question object with an items array). */
export function partSlotsOf(rawQuestion: unknown): number {
  return isObject(rawQuestion) && Array.isArray(rawQuestion.items) ? rawQuestion.items.length : 0;
}

/** Maps one question (its strings already storable) at `pointer`; its first part has `firstPosition`. */
export function mapQuestion(
  recorder: Recorder,
  container: QuestionContainer,
  question: unknown,
  pointer: string,
  firstPosition: number,
): void {
  if (!isObject(question)) {
    recorder.reject('invalid_body', pointer, 'question is not an object', question);
    return;
  }
  const rawParts = question.items ?? [];
  if (!Array.isArray(rawParts)) {
    recorder.reject('invalid_body', pointer, 'question items is not an array', question);
    return;
  }
  const stemId = question.question_id;
  const questionNumber = recorder.integer(question.question_number, childPointer(pointer, 'question_number'));
  const stem: Record<keyof QuestionDefined, unknown> = {
    kind: container.kind,
    containerId: container.containerId,
    subjectId: container.subjectId,
    stemId,
    questionNumber,
    stem: question.question_stem,
    stemDiagram: optional(question.question_stem_diagram),
    validationComment: optional(question.validation_comment),
    validationReason: optional(question.validation_reason),
    partCount: rawParts.length,
    source: { file: container.file, pointer },
  };
  recorder.emit('questions', stem, pointer, withoutItems(question));

  rawParts.forEach((part: unknown, index) => {
    const partPointer = childPointer(pointer, 'items', index);
    if (!isObject(part)) {
      recorder.reject('invalid_body', partPointer, 'question part is not an object', part);
      return;
    }
    const questionId = part.questionID;
    if (questionId === undefined || questionId === null || questionId === '') {
      recorder.reject('missing_question_id', partPointer, 'question part has no questionID', part);
      return;
    }
    const at = (field: string) => childPointer(partPointer, field);
    const content: Record<keyof ItemContent, unknown> = {
      questionType: part.question_type,
      text: part.question_text,
      markMax: markMaxOf(recorder, part.markmax, at('markmax')),
      markScheme: optional(part.markscheme),
      difficulty: recorder.integer(part.difficulty, at('difficulty')),
      specificationPoint: optional(part.specification_point),
      options: optional(part.options),
      correctAnswer: recorder.integerOrList(part.correct_answer_index, at('correct_answer_index')),
      diagram: optional(part.question_diagram),
    };
    const appearance: Record<keyof ItemAppeared, unknown> = {
      kind: container.kind,
      containerId: container.containerId,
      subjectId: container.subjectId,
      stemId,
      questionNumber,
      ...partOf(recorder, part.question_part, index + 1, at('question_part')),
      questionId,
      position: firstPosition + index,
      lessonIds: container.lessonIdsOf(part),
      content,
      source: { file: container.file, pointer: partPointer },
    };
    recorder.emit('itemAppearances', appearance, partPointer, part);
  });
}

/** The mark maximum: a negative one is not kept (null, counted); other odd values are left for the schema. */
function markMaxOf(recorder: Recorder, raw: unknown, pointer: string): unknown {
  const markMax = recorder.integer(raw, pointer);
  if (typeof markMax !== 'number' || markMax >= 0) return markMax;
  recorder.warn('negative_mark_max', pointer);
  return null;
}

/** The part's order and label; `ordinal` is its 1-based place in its question. */
function partOf(recorder: Recorder, raw: unknown, ordinal: number, pointer: string): { part: unknown; partLabel: string | null } {
  const order = partOrderOf(raw, ordinal);
  if (order.coerced) recorder.warn('numeric_string_coerced', pointer);
  if (order.fromPosition) recorder.warn('part_number_from_position', pointer);
  return { part: order.part, partLabel: order.label };
}

/** A question's own fields for an excerpt, without its parts (they have excerpts of their own). */
function withoutItems(question: Record<string, unknown>): Record<string, unknown> {
  const { items: _items, ...rest } = question;
  return rest;
}
