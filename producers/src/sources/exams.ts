/**
 * exams: one paper set of `<subjectId>_exams.json` (an element of its
 * top-level array) → per paper one PaperDefined, a QuestionDefined per
 * question and an ItemAppeared per part, linked to the lessons the part names
 * in `lessonIDs[]` (kept even when no course lesson has them: the projector
 * flags those unresolved). A paper without `paper_id` is `missing_paper_id`.
 */
import type { PaperDefined } from '@medly/shared/events/paperDefined';
import { childPointer } from '../jsonPointer.ts';
import type { CurriculumContext } from './practices.ts';
import { mapQuestion, partSlotsOf } from './questions.ts';
import { createRecorder, isObject, optional, type MappedRecord } from './recorder.ts';

export function mapPaperSet(rawSet: unknown, index: number, context: CurriculumContext): MappedRecord {
  const { file, subjectId, firstPosition } = context;
  const recorder = createRecorder('exams', file);
  const pointer = childPointer('', index);
  if (!isObject(rawSet)) {
    recorder.reject('invalid_body', pointer, 'paper set is not an object', rawSet);
    return recorder.done(0);
  }
  const set = recorder.storable(rawSet, pointer) as Record<string, unknown>;
  const papers = set.papers ?? [];
  if (!Array.isArray(papers)) {
    recorder.reject('invalid_body', pointer, 'paper set papers is not an array', set);
    return recorder.done(0);
  }

  let position = firstPosition;
  papers.forEach((paper: unknown, paperIndex) => {
    const paperPointer = childPointer(pointer, 'papers', paperIndex);
    if (!isObject(paper)) {
      recorder.reject('invalid_body', paperPointer, 'paper is not an object', paper);
      return;
    }
    const questions = paper.questions ?? [];
    if (!Array.isArray(questions)) {
      recorder.reject('invalid_body', paperPointer, 'paper questions is not an array', paper);
      return;
    }
    const slots = questions.reduce((sum: number, question) => sum + partSlotsOf(question), 0);
    const paperId = paper.paper_id;
    if (paperId === undefined || paperId === null || paperId === '') {
      recorder.reject('missing_paper_id', paperPointer, 'paper has no paper_id', withoutQuestions(paper));
      position += slots;
      return;
    }
    const paperEvent: Record<keyof PaperDefined, unknown> = {
      subjectId,
      paperId,
      board: optional(set.board_title),
      qualification: optional(set.qualification),
      subjectTitle: optional(set.subject_title),
      paperType: optional(set.type),
      series: optional(set.series),
      tier: optional(paper.tier),
      paperNumber: optional(paper.paper),
      questionCount: questions.length,
      source: { file, pointer: paperPointer },
    };
    recorder.emit('papers', paperEvent, paperPointer, withoutQuestions(paper));

    const container = {
      kind: 'paper' as const,
      containerId: paperId,
      subjectId,
      file,
      lessonIdsOf: (part: Record<string, unknown>) => part.lessonIDs ?? [],
    };
    questions.forEach((question: unknown, questionIndex) => {
      mapQuestion(recorder, container, question, childPointer(paperPointer, 'questions', questionIndex), position);
      position += partSlotsOf(question);
    });
  });
  return recorder.done(countParts(papers));
}

/** Every part slot of every paper that is an object with a questions array. */
function countParts(papers: unknown[]): number {
  let parts = 0;
  for (const paper of papers) {
    if (isObject(paper) && Array.isArray(paper.questions)) {
      parts += paper.questions.reduce((sum: number, question) => sum + partSlotsOf(question), 0);
    }
  }
  return parts;
}

function withoutQuestions(paper: Record<string, unknown>): Record<string, unknown> {
  const { questions: _questions, ...rest } = paper;
  return rest;
}
