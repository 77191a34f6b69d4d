import type { LessonRef } from './course.ts';
import { countEdge, edgeRates, type EdgeTally } from './edgeCases.ts';
import type { Random } from './random.ts';
import type { PaperTarget, PartRef } from './refs.ts';
import { createSampler } from './sampler.ts';
import {
  EXAM_MARKSCHEMES,
  EXAM_OPTIONS,
  EXAM_QUESTIONS,
  EXAM_STEMS,
  EXAM_VALIDATION_REASONS,
  SUBJECT_ID,
  fill,
  resultsTable,
  uploadedDiagram,
  withNul,
} from './text.ts';

/** An exam part exactly as the exams file holds it (key order matters for byte-identical output). */
export type ExamPartRecord = Record<string, unknown> & { questionID: string; lessonIDs: string[] };

/** An exam part that the practice bank of `lessonID` repeats; `conflict` makes that copy differ. */
export interface ReusedPart {
  part: ExamPartRecord;
  conflict: boolean;
}

export interface Exams {
  paperSets: unknown[];
  papers: PaperTarget[];
  questionCount: number;
  partCount: number;
  /** Practice bank lessonID → the exam parts it repeats. */
  reusedByLesson: Map<string, ReusedPart[]>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'July', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const DIAGRAM_TAKEN_FROM = Date.UTC(2025, 8, 12, 9);

/** Series names: the real "Sept_Mock", then one sitting a month ("Oct25_Mock", …). */
function seriesName(set: number): string {
  if (set === 0) return 'Sept_Mock';
  const month = 8 + set;
  return `${MONTHS[month % 12] ?? 'Jan'}${25 + Math.floor(month / 12)}_Mock`;
}

/**
 * Mock papers at `scale`: round(K) paper sets of two papers (9 and 8 questions,
 * about 3.7 parts each, as the real ones; fewer questions below 1×), parts
 * linked to 1–8 course lessons.
 * Small enough at 100× (6,400 parts) to hold in memory.
 */
export function buildExams(
  scale: number,
  input: { lessons: readonly LessonRef[]; retiredLessonIds: readonly string[] },
  random: Random,
  tally: EdgeTally,
): Exams {
  const rates = edgeRates.exams;
  const missingDifficulty = createSampler(rates.missingDifficulty, random);
  const numericDifficulty = createSampler(rates.numericStringDifficulty, random);
  const unknownLesson = createSampler(rates.unknownLessonId, random);
  const nul = createSampler(rates.nulInText, random);
  const conflict = createSampler(rates.conflictWithPaper, random);
  const { lessons } = input;

  /** 1–8 lessonIDs, the first one the part's main lesson. */
  const linkedLessons = (): { lessonIDs: string[]; mainTitle: string } => {
    const count = random.weighted([[1, 5], [2, 10], [3, 20], [4, 12], [5, 8], [6, 7], [7, 1], [8, 1]] as const);
    const primary = random.int(0, lessons.length - 1);
    const mainTitle = lessons[primary]?.lessonTitle ?? '';
    const ids = new Set<string>();
    for (let attempt = 0; ids.size < count && attempt < count * 4; attempt++) {
      // Mostly nearby lessons (same topic), now and then one from anywhere.
      const index = attempt === 0 ? primary : random.chance(0.8) ? primary + random.int(-12, 12) : random.int(0, lessons.length - 1);
      const lesson = lessons[Math.min(lessons.length - 1, Math.max(0, index))];
      if (lesson !== undefined) ids.add(lesson.lessonID);
    }
    const linked = [...ids];
    if (unknownLesson()) {
      linked.push(random.pick(input.retiredLessonIds));
      countEdge(tally, 'exams.unknownLessonId');
    }
    return { lessonIDs: linked, mainTitle };
  };

  const buildPart = (paper: string, questionNumber: number, part: number): ExamPartRecord => {
    const questionType = random.weighted([['long_answer', 56], ['calculate', 5], ['mcq', 3]] as const);
    const { lessonIDs, mainTitle } = linkedLessons();
    let questionText =
      questionType === 'mcq'
        ? 'Which of the following is correct?'
        : questionType === 'calculate'
          ? EXAM_QUESTIONS[1]
          : fill(random.pick(EXAM_QUESTIONS.slice(2, 7)), { lesson: mainTitle.toLowerCase() });
    if (nul()) {
      questionText = withNul(questionText, random);
      countEdge(tally, 'exams.nulInText');
    }
    const markmax =
      questionType === 'mcq' ? 1 : questionType === 'calculate' ? 2 : random.weighted([[1, 10], [2, 6], [3, 3], [4, 2], [6, 1]] as const);
    const markscheme = random.pick(EXAM_MARKSCHEMES);
    const questionID = `${SUBJECT_ID}_${paper}_${questionNumber}_${part}_${random.alnum(10)}`;
    const options = questionType === 'mcq' || random.chance(0.03) ? [...random.pick(EXAM_OPTIONS)] : undefined;

    if (missingDifficulty()) {
      countEdge(tally, 'exams.missingDifficulty');
      // The real parts without difficulty also have question_part moved down.
      return { question_type: questionType, question_text: questionText, markmax, markscheme, lessonIDs, question_part: part, questionID };
    }
    const head = { question_part: part, question_type: questionType, question_text: questionText };
    let difficulty: number | string = random.int(2, 8);
    if (numericDifficulty()) {
      difficulty = String(difficulty);
      countEdge(tally, 'exams.numericStringDifficulty');
    }
    if (questionType === 'mcq') {
      return { ...head, markmax, markscheme, difficulty, lessonIDs, options, correct_answer_index: random.int(0, 3), questionID };
    }
    // Real quirk: a long answer carrying options (no correct index), listed after its text.
    if (options !== undefined) return { ...head, options, markmax, markscheme, difficulty, lessonIDs, questionID };
    return { ...head, markmax, markscheme, difficulty, lessonIDs, questionID };
  };

  const paperSets: unknown[] = [];
  const papers: PaperTarget[] = [];
  const reusedByLesson = new Map<string, ReusedPart[]>();
  let questionCount = 0;
  let partCount = 0;
  const setCount = Math.max(1, Math.round(scale));
  // Below 1×: one paper set with fewer questions.
  const questionsPerPaper = (real: number): number => (scale < 1 ? Math.max(1, Math.round(real * scale)) : real);

  for (let set = 0; set < setCount; set++) {
    const series = seriesName(set);
    const tier = set % 3 === 2 ? 'Foundation' : 'Higher';
    const setPapers = ['1', '2'].map((paper) => {
      const paperId = `medlymock${SUBJECT_ID}_${series}${paper}${tier}`;
      const refs: PartRef[] = [];
      const questions = Array.from({ length: questionsPerPaper(paper === '1' ? 9 : 8) }, (_, index) => {
        const questionNumber = index + 1;
        const topic = random.pick(lessons).topicTitle.toLowerCase();
        const partsInQuestion = random.weighted([[1, 1], [2, 1], [3, 8], [4, 3], [5, 2], [6, 3]] as const);
        const items = Array.from({ length: partsInQuestion }, (_, partIndex) => buildPart(paper, questionNumber, partIndex + 1));
        for (const item of items) {
          const options = item.options as string[] | undefined;
          const questionType = String(item.question_type);
          refs.push({ questionID: item.questionID, questionType, markmax: Number(item.markmax), ...(options ? { options } : {}) });
          const firstLesson = item.lessonIDs[0];
          if (firstLesson !== undefined && random.chance(edgeRates.exams.reusedInPractice)) {
            const isConflict = conflict();
            if (isConflict) countEdge(tally, 'exams.conflictWithPaper');
            countEdge(tally, 'exams.reusedInPractice');
            const list = reusedByLesson.get(firstLesson) ?? [];
            list.push({ part: item, conflict: isConflict });
            reusedByLesson.set(firstLesson, list);
          }
        }
        questionCount++;
        partCount += items.length;
        const diagramKind = random.weighted([['none', 3], ['table', 8], ['uploaded', 6]] as const);
        const takenAt = new Date(DIAGRAM_TAKEN_FROM + set * 30 * 86_400_000 + random.int(0, 6 * 3_600_000));
        return {
          question_number: questionNumber,
          question_stem: fill(random.pick(EXAM_STEMS), { topic }),
          question_stem_diagram: diagramKind === 'none' ? null : diagramKind === 'table' ? resultsTable(random) : uploadedDiagram(random, takenAt),
          items,
          validation_comment: random.chance(0.88) ? 'PASS' : 'REVISED_PASS',
          validation_reason: random.pick(EXAM_VALIDATION_REASONS),
          question_id: `${SUBJECT_ID}_${paper}_${questionNumber}_${random.alnum(10)}`,
        };
      });
      papers.push({ paperId, parts: refs });
      return { paper_id: paperId, tier, paper, questions };
    });
    paperSets.push({
      board_title: 'aqa',
      qualification: 'GCSE',
      subject_title: 'Biology',
      subject_id: SUBJECT_ID,
      type: 'Medly',
      series,
      papers: setPapers,
    });
  }
  return { paperSets, papers, questionCount, partCount, reusedByLesson };
}
