import type { LessonRef } from './course.ts';
import { countEdge, edgeRates, type EdgeTally } from './edgeCases.ts';
import type { ExamPartRecord, ReusedPart } from './exams.ts';
import type { Random } from './random.ts';
import type { PartRef, PracticeTarget } from './refs.ts';
import { createSampler } from './sampler.ts';
import {
  ENZYME_OPTIONS,
  PRACTICE_COMMANDS,
  PRACTICE_MARKSCHEME,
  PRACTICE_VALIDATION,
  SUBJECT_ID,
  renderedDiagram,
  resultsTable,
  withEmoji,
  withNul,
} from './text.ts';

type JsonRecord = Record<string, unknown>;

/** The real file's question types, weighted by their counts there. */
const QUESTION_TYPES = [
  ['long_answer', 2841],
  ['short_answer', 1027],
  ['mcq', 776],
  ['calculate', 386],
  ['multiple_select', 153],
] as const;

export interface PracticeInput {
  scale: number;
  lessons: readonly LessonRef[];
  retiredLessonIds: readonly string[];
  reusedByLesson: ReadonlyMap<string, readonly ReusedPart[]>;
  random: Random;
  tally: EdgeTally;
  /** Sees every bank as it is generated: where attempts may point, and the counts. */
  onBank: (target: PracticeTarget, questions: number) => void;
}

/**
 * Practice banks, one at a time (the 100× file is ~350 MB): one bank per course
 * lesson with 5–12 templated questions of 1–4 parts (the real file's own
 * distributions), the exam parts reused in that lesson, then the retired and
 * repeated-lesson banks.
 */
export function* practiceBanks(input: PracticeInput): Generator<JsonRecord> {
  const { random, tally } = input;
  const rates = edgeRates.practices;
  const sample = {
    missingLessonId: createSampler(rates.missingLessonId, random),
    legacyOriginalId: createSampler(rates.legacyOriginalId, random),
    conflictingCopy: createSampler(rates.conflictingCopy, random),
    numericStringDifficulty: createSampler(rates.numericStringDifficulty, random),
    numericStringMarkmax: createSampler(rates.numericStringMarkmax, random),
    missingDifficulty: createSampler(rates.missingDifficulty, random),
    nulInText: createSampler(rates.nulInText, random),
    emojiInStem: createSampler(rates.emojiInStem, random),
  };
  const edge = (name: keyof typeof sample): boolean => {
    const hit = sample[name]();
    if (hit) countEdge(tally, `practices.${name}`);
    return hit;
  };

  const part = (lesson: LessonRef, questionID: string, questionPart: number): JsonRecord => {
    const questionType = random.weighted(QUESTION_TYPES);
    let questionText = `${random.pick(PRACTICE_COMMANDS)} how ${lesson.lessonTitle.toLowerCase()} relates to the results shown.`;
    if (edge('nulInText')) questionText = withNul(questionText, random);
    const markmaxValue = random.weighted([[1, 2020], [2, 1395], [3, 580], [4, 605], [6, 583]] as const);
    const markmax = edge('numericStringMarkmax') ? String(markmaxValue) : markmaxValue;
    const specification = `4.${lesson.unitIndex + 1}.${lesson.topicIndex + 1}.${lesson.lessonIndex + 1}`;
    const head = { question_part: questionPart, question_type: questionType, question_text: questionText, markmax, markscheme: PRACTICE_MARKSCHEME };
    let record: JsonRecord;
    if (edge('missingDifficulty')) {
      record = { ...head, specification_point: specification, questionID };
    } else {
      const level = random.weighted([[1, 1020], [2, 1061], [3, 1030], [4, 1035], [5, 1018], [6, 10], [7, 6], [8, 1]] as const);
      record = { ...head, difficulty: edge('numericStringDifficulty') ? String(level) : level, specification_point: specification, questionID };
    }
    if (questionType === 'mcq') Object.assign(record, { options: [...ENZYME_OPTIONS], correct_answer_index: random.int(0, 3) });
    if (questionType === 'multiple_select') {
      const first = random.int(0, 2);
      Object.assign(record, { options: [...ENZYME_OPTIONS], correct_answer_index: [first, random.int(first + 1, 3)] });
    }
    if (random.chance(248 / 5183)) record.question_diagram = renderedDiagram(random);
    return record;
  };

  const question = (lesson: LessonRef, lessonID: string, questionNumber: number): JsonRecord => {
    const partCount = random.weighted([[1, 27], [2, 25], [3, 24], [4, 24]] as const);
    const items = Array.from({ length: partCount }, (_, index) =>
      part(lesson, `${lessonID}_${questionNumber}_${index + 1}_${random.alnum(10)}`, index + 1),
    );
    let stem = `A student investigated ${lesson.lessonTitle.toLowerCase()}.`;
    if (edge('emojiInStem')) stem = withEmoji(stem, random);
    const stemDiagram = random.weighted([['none', 1744], ['table', 288], ['rendered', 94]] as const);
    return {
      question_number: questionNumber,
      question_stem: stem,
      question_stem_diagram: stemDiagram === 'none' ? null : stemDiagram === 'table' ? resultsTable(random) : renderedDiagram(random),
      items,
      validation_comment: random.chance(141 / 2126) ? 'FAIL' : 'PASS',
      validation_reason: PRACTICE_VALIDATION,
      question_id: `${lessonID}_${questionNumber}_${random.alnum(10)}`,
    };
  };

  /** An exam part as the practice file repeats it: same questionID, a specification point instead of lessonIDs. */
  const reusedQuestion = (lesson: LessonRef, questionNumber: number, reused: ReusedPart): JsonRecord => {
    const exam: ExamPartRecord = reused.part;
    const copy: JsonRecord = {
      question_part: exam.question_part,
      question_type: exam.question_type,
      question_text: exam.question_text,
      markmax: reused.conflict ? Number(exam.markmax) + 1 : exam.markmax,
      markscheme: reused.conflict ? `${String(exam.markscheme)}\nallow any other valid point` : exam.markscheme,
      questionID: exam.questionID,
      ...('difficulty' in exam ? { difficulty: exam.difficulty } : {}),
      specification_point: `4.${lesson.unitIndex + 1}.${lesson.topicIndex + 1}.${lesson.lessonIndex + 1}`,
      ...('options' in exam ? { options: exam.options } : {}),
      ...('correct_answer_index' in exam ? { correct_answer_index: exam.correct_answer_index } : {}),
    };
    return {
      question_number: questionNumber,
      question_stem: 'From a past mock paper.',
      question_stem_diagram: null,
      items: [copy],
      validation_comment: 'PASS',
      validation_reason: 'Reused from mock paper.',
      question_id: `${lesson.lessonID}_${questionNumber}_${random.alnum(10)}`,
    };
  };

  const bank = (lesson: LessonRef, ids: { lessonID?: string; original: string }, items: JsonRecord[]): JsonRecord => ({
    exam_board: 'AQA',
    qualification: 'GCSE',
    subject: 'Biology',
    unit_index: lesson.unitIndex,
    unit_title: lesson.unitTitle,
    topic_index: lesson.topicIndex,
    topic_title: lesson.topicTitle,
    lesson_index: lesson.lessonIndex,
    ...(ids.lessonID === undefined ? {} : { lessonID: ids.lessonID }),
    lesson_title: lesson.lessonTitle,
    chunks_used: Array.from({ length: random.int(1, 4) }, (_, index) => ({
      chunk_index: index,
      chunk_title: `${lesson.lessonTitle} — part ${index + 1}`,
    })),
    items,
    original_lessonID: ids.original,
  });

  const report = (lessonID: string, items: JsonRecord[]): void => {
    const parts: PartRef[] = [];
    for (const item of items) {
      for (const record of item.items as JsonRecord[]) {
        const options = record.options as string[] | undefined;
        parts.push({
          questionID: String(record.questionID),
          questionType: String(record.question_type),
          markmax: Number(record.markmax),
          ...(options === undefined ? {} : { options }),
        });
      }
    }
    input.onBank({ lessonID, parts }, items.length);
  };

  let previousFirstQuestion: JsonRecord | undefined;
  for (const lesson of input.lessons) {
    const questionCount = random.weighted([[5, 40], [6, 64], [7, 45], [8, 45], [9, 48], [10, 35], [11, 3], [12, 1]] as const);
    const items = Array.from({ length: questionCount }, (_, index) => question(lesson, lesson.lessonID, index + 1));
    for (const reused of input.reusedByLesson.get(lesson.lessonID) ?? []) {
      items.push(reusedQuestion(lesson, items.length + 1, reused));
    }
    if (previousFirstQuestion !== undefined && edge('conflictingCopy')) {
      // The previous bank's first question again, its first part reworded: one questionID, two contents.
      const [first, ...rest] = previousFirstQuestion.items as JsonRecord[];
      const rewordedText = `Calculate how ${lesson.lessonTitle.toLowerCase()} relates to the results shown.`;
      const reworded = { ...first, question_text: rewordedText, difficulty: random.int(1, 5) };
      items.push({ ...previousFirstQuestion, question_number: items.length + 1, items: [reworded, ...rest] });
    }
    previousFirstQuestion = items[0];
    const omitLessonId = edge('missingLessonId');
    const original = !omitLessonId && edge('legacyOriginalId') ? lesson.lessonID.replace(SUBJECT_ID, 'aqaGCSEBiology') : lesson.lessonID;
    report(lesson.lessonID, items);
    yield bank(lesson, { ...(omitLessonId ? {} : { lessonID: lesson.lessonID }), original }, items);
  }

  const template = input.lessons[0];
  if (template === undefined) return;
  for (const retiredId of input.retiredLessonIds) {
    // A bank for a lesson the course no longer has (real: "Retired lesson", aqaGCSEBio9.9.99).
    const retired: LessonRef = { ...template, lessonIndex: 99, lessonID: retiredId, lessonTitle: 'Retired lesson' };
    const items = Array.from({ length: 5 }, (_, index) => question(retired, retiredId, index + 1));
    countEdge(tally, 'practices.retiredBank');
    report(retiredId, items);
    yield bank(retired, { lessonID: retiredId, original: retiredId }, items);
  }
  for (let index = 0; index < input.retiredLessonIds.length; index++) {
    // A second bank for a lesson that already has one, with its neighbour's metadata and no questions (real: the last bank).
    const position = random.int(1, input.lessons.length - 1);
    const repeated = input.lessons[position] ?? template;
    const neighbour = input.lessons[position - 1] ?? template;
    countEdge(tally, 'practices.repeatedLessonBank');
    report(repeated.lessonID, []);
    yield bank(neighbour, { lessonID: repeated.lessonID, original: repeated.lessonID }, []);
  }
}
