/**
 * practices: one bank of `<subjectId>_practices.json` (an element of its
 * top-level array) → one PracticeBankDefined, a QuestionDefined per question
 * and an ItemAppeared per part (linked to the bank's lesson).
 *
 * The bank's identity is its `lessonID`, or its `original_lessonID` when that
 * is missing (which is kept either way); neither is `missing_lesson_id`. Two
 * banks with one lessonID are both produced under the same key, so the later
 * one wins on the compacted topic (counted by the producer as `duplicate_bank_lesson_id`).
 */
import type { PracticeBankDefined } from '@medly/shared/events/practiceBankDefined';
import { childPointer } from '../jsonPointer.ts';
import { mapQuestion, partSlotsOf } from './questions.ts';
import { createRecorder, isObject, optional, type MappedRecord } from './recorder.ts';

export interface CurriculumContext {
  /** Relative to the data folder, with `/` separators. */
  file: string;
  subjectId: string;
  /** The file ordinal of this record's first question part. */
  firstPosition: number;
}

export function mapPracticeBank(rawBank: unknown, index: number, context: CurriculumContext): MappedRecord {
  const { file, subjectId, firstPosition } = context;
  const recorder = createRecorder('practices', file);
  const pointer = childPointer('', index);
  if (!isObject(rawBank)) {
    recorder.reject('invalid_body', pointer, 'practice bank is not an object', rawBank);
    return recorder.done(0);
  }
  const bank = recorder.storable(rawBank, pointer) as Record<string, unknown>;
  const questions = bank.items ?? [];
  if (!Array.isArray(questions)) {
    recorder.reject('invalid_body', pointer, 'practice bank items is not an array', bank);
    return recorder.done(0);
  }
  const read = questions.reduce((sum: number, question) => sum + partSlotsOf(question), 0);

  const lessonId = presentString(bank.lessonID) ?? presentString(bank.original_lessonID);
  if (lessonId === undefined) {
    recorder.reject('missing_lesson_id', pointer, 'practice bank has neither lessonID nor original_lessonID', bank);
    return recorder.done(read);
  }
  const at = (field: string) => childPointer(pointer, field);
  const chunks = Array.isArray(bank.chunks_used)
    ? bank.chunks_used.map((chunk: unknown, chunkIndex) =>
        isObject(chunk)
          ? {
              index: recorder.integer(chunk.chunk_index, childPointer(pointer, 'chunks_used', chunkIndex, 'chunk_index')),
              title: chunk.chunk_title,
            }
          : chunk,
      )
    : (bank.chunks_used ?? []);
  const bankEvent: Record<keyof PracticeBankDefined, unknown> = {
    subjectId,
    lessonId,
    originalLessonId: optional(bank.original_lessonID),
    examBoard: optional(bank.exam_board),
    qualification: optional(bank.qualification),
    subjectTitle: optional(bank.subject),
    unitIndex: recorder.integer(bank.unit_index, at('unit_index')),
    unitTitle: optional(bank.unit_title),
    topicIndex: recorder.integer(bank.topic_index, at('topic_index')),
    topicTitle: optional(bank.topic_title),
    lessonIndex: recorder.integer(bank.lesson_index, at('lesson_index')),
    lessonTitle: optional(bank.lesson_title),
    chunks,
    questionCount: questions.length,
    source: { file, pointer },
  };
  const { items: _items, ...bankWithoutQuestions } = bank;
  recorder.emit('practiceBanks', bankEvent, pointer, bankWithoutQuestions);

  const container = { kind: 'practice' as const, containerId: lessonId, subjectId, file, lessonIdsOf: () => [lessonId] };
  let position = firstPosition;
  questions.forEach((question: unknown, questionIndex) => {
    mapQuestion(recorder, container, question, childPointer(pointer, 'items', questionIndex), position);
    position += partSlotsOf(question);
  });
  return recorder.done(read);
}

/** A non-empty string, or undefined (missing, empty or not a string all mean "not given"). */
function presentString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
