import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ItemAppeared } from '@medly/shared/events/itemAppeared';
import type { MappedRecord } from './recorder.ts';
import { mapPracticeBank } from './practices.ts';

const CONTEXT = { file: 'curriculum_data/bio_practices.json', subjectId: 'bio', firstPosition: 10 };

const part = (questionID: string, extra: Record<string, unknown> = {}) => ({
  question_part: 1,
  question_type: 'mcq',
  question_text: 'Which?',
  markmax: 1,
  markscheme: 'B (1)',
  difficulty: 3,
  specification_point: '4.1.1',
  questionID,
  ...extra,
});

const bank = (extra: Record<string, unknown> = {}) => ({
  exam_board: 'AQA',
  qualification: 'GCSE',
  subject: 'Biology',
  unit_index: 0,
  unit_title: 'Cell biology',
  topic_index: 0,
  topic_title: 'Cells',
  lesson_index: 3,
  lessonID: 'bio0.0.3',
  lesson_title: 'Plant cells',
  chunks_used: [{ chunk_index: 0, chunk_title: 'part 1' }],
  original_lessonID: 'bio0.0.3',
  items: [
    {
      question_number: 1,
      question_stem: 'A student…',
      question_stem_diagram: null,
      validation_comment: 'PASS',
      validation_reason: 'fine',
      question_id: 'bio0.0.3_1',
      items: [part('bio0.0.3_1_1', { options: ['A', 'B'], correct_answer_index: 1 }), part('bio0.0.3_1_2', { question_part: 2 })],
    },
    { question_number: 2, question_stem: 'Second', question_id: 'bio0.0.3_2', items: [part('bio0.0.3_2_1')] },
  ],
  ...extra,
});

const appearances = (mapped: MappedRecord): ItemAppeared[] =>
  mapped.events.flatMap((e) => (e.topic === 'itemAppearances' ? [e.event] : []));

test('a bank gives its PracticeBankDefined, a QuestionDefined per question and an ItemAppeared per part', () => {
  const mapped = mapPracticeBank(bank(), 4, CONTEXT);
  assert.is(mapped.read, 3, 'read counts parts');
  assert.equal(mapped.rejections, []);
  assert.equal(mapped.warnings, []);
  assert.equal(mapped.events.map((e) => e.topic), ['practiceBanks', 'questions', 'itemAppearances', 'itemAppearances', 'questions', 'itemAppearances']);
  assert.equal(mapped.events[0]?.event, {
    subjectId: 'bio',
    lessonId: 'bio0.0.3',
    originalLessonId: 'bio0.0.3',
    examBoard: 'AQA',
    qualification: 'GCSE',
    subjectTitle: 'Biology',
    unitIndex: 0,
    unitTitle: 'Cell biology',
    topicIndex: 0,
    topicTitle: 'Cells',
    lessonIndex: 3,
    lessonTitle: 'Plant cells',
    chunks: [{ index: 0, title: 'part 1' }],
    questionCount: 2,
    source: { file: CONTEXT.file, pointer: '/4' },
  });
  assert.equal(mapped.events[1]?.event, {
    kind: 'practice',
    containerId: 'bio0.0.3',
    subjectId: 'bio',
    stemId: 'bio0.0.3_1',
    questionNumber: 1,
    stem: 'A student…',
    stemDiagram: null,
    validationComment: 'PASS',
    validationReason: 'fine',
    partCount: 2,
    source: { file: CONTEXT.file, pointer: '/4/items/0' },
  });
  assert.equal(appearances(mapped)[0], {
    kind: 'practice',
    containerId: 'bio0.0.3',
    subjectId: 'bio',
    stemId: 'bio0.0.3_1',
    questionNumber: 1,
    part: 1,
    partLabel: '1',
    questionId: 'bio0.0.3_1_1',
    position: 10,
    lessonIds: ['bio0.0.3'],
    content: {
      questionType: 'mcq',
      text: 'Which?',
      markMax: 1,
      markScheme: 'B (1)',
      difficulty: 3,
      specificationPoint: '4.1.1',
      options: ['A', 'B'],
      correctAnswer: 1,
      diagram: null,
    },
    source: { file: CONTEXT.file, pointer: '/4/items/0/items/0' },
  });
  assert.equal(appearances(mapped).map((a) => a.position), [10, 11, 12], 'positions are file ordinals of parts');
});

test('a bank without lessonID falls back to original_lessonID, which is kept', () => {
  const mapped = mapPracticeBank(bank({ lessonID: undefined, original_lessonID: 'bioOld0.0.3' }), 0, CONTEXT);
  assert.equal(mapped.rejections, []);
  const [bankEvent] = mapped.events;
  assert.is(bankEvent?.topic === 'practiceBanks' ? bankEvent.event.lessonId : undefined, 'bioOld0.0.3');
  assert.equal(appearances(mapped)[0]?.lessonIds, ['bioOld0.0.3']);
  assert.is(appearances(mapped)[0]?.containerId, 'bioOld0.0.3');
  // Both present and different: lessonID is the identity, original_lessonID is kept beside it.
  const both = mapPracticeBank(bank({ original_lessonID: 'bioOld0.0.3' }), 0, CONTEXT);
  const [bothEvent] = both.events;
  assert.equal(bothEvent?.topic === 'practiceBanks' ? [bothEvent.event.lessonId, bothEvent.event.originalLessonId] : [], ['bio0.0.3', 'bioOld0.0.3']);
});

test('missing_lesson_id: neither lessonID nor original_lessonID rejects the bank; its parts still count as read', () => {
  const mapped = mapPracticeBank(bank({ lessonID: '', original_lessonID: undefined }), 7, CONTEXT);
  assert.equal(mapped.events, []);
  assert.equal(mapped.rejections.map((r) => [r.reason, r.pointer, r.source]), [['missing_lesson_id', '/7', 'practices']]);
  assert.is(mapped.read, 3);
  assert.ok(mapped.rejections[0]?.excerpt.startsWith('{"exam_board":"AQA"'));
});

test('missing_question_id: a part without questionID is rejected; its position is still used', () => {
  const raw = bank();
  const question = raw.items[0] as { items: Record<string, unknown>[] };
  question.items[0] = { ...question.items[0], questionID: undefined };
  const mapped = mapPracticeBank(raw, 0, CONTEXT);
  assert.equal(mapped.rejections.map((r) => [r.reason, r.pointer]), [['missing_question_id', '/0/items/0/items/0']]);
  assert.equal(appearances(mapped).map((a) => a.position), [11, 12]);
  assert.is(mapped.read, 3);
});

test('numeric_string_coerced and missing optional fields: "difficulty": "3" is 3; no difficulty is null', () => {
  const raw = bank();
  const question = raw.items[0] as { items: Record<string, unknown>[] };
  question.items[0] = part('p1', { difficulty: '4', correct_answer_index: ['0', 2] });
  question.items[1] = part('p2', { difficulty: undefined, specification_point: undefined, markscheme: undefined });
  const mapped = mapPracticeBank(raw, 0, CONTEXT);
  const [first, second] = appearances(mapped);
  assert.is(first?.content.difficulty, 4);
  assert.equal(first?.content.correctAnswer, [0, 2]);
  assert.equal(second?.content.difficulty, null);
  assert.equal(second?.content.specificationPoint, null);
  assert.equal(second?.content.markScheme, null);
  assert.equal(mapped.warnings, [
    { reason: 'numeric_string_coerced', pointer: '/0/items/0/items/0/difficulty' },
    { reason: 'numeric_string_coerced', pointer: '/0/items/0/items/0/correct_answer_index' },
  ]);
});

test('an empty bank is still a bank (the later of two banks with one lessonID wins on the topic)', () => {
  const mapped = mapPracticeBank(bank({ items: [] }), 0, CONTEXT);
  assert.is(mapped.read, 0);
  assert.equal(mapped.events.map((e) => e.topic), ['practiceBanks']);
  const [bankEvent] = mapped.events;
  assert.is(bankEvent?.topic === 'practiceBanks' ? bankEvent.event.questionCount : undefined, 0);
});

test('invalid_body: a bank, question or part that is not an object', () => {
  assert.equal(mapPracticeBank([1], 0, CONTEXT).rejections.map((r) => r.reason), ['invalid_body']);
  assert.equal(mapPracticeBank(bank({ items: {} }), 0, CONTEXT).rejections.map((r) => r.reason), ['invalid_body']);
  const mapped = mapPracticeBank(bank({ items: ['q', { question_number: 1, question_stem: 's', question_id: 'b_1', items: [null, part('b_1_2')] }] }), 0, CONTEXT);
  assert.equal(mapped.rejections.map((r) => [r.reason, r.pointer]), [
    ['invalid_body', '/0/items/0'],
    ['invalid_body', '/0/items/1/items/0'],
  ]);
  assert.equal(appearances(mapped).map((a) => a.position), [11]);
});

test('invalid_record: a part whose type is wrong is rejected with the failing field named', () => {
  const raw = bank();
  const question = raw.items[0] as { items: Record<string, unknown>[] };
  question.items[0] = part('p1', { markmax: 'one' });
  const mapped = mapPracticeBank(raw, 0, CONTEXT);
  assert.equal(mapped.rejections.map((r) => r.reason), ['invalid_record']);
  assert.match(mapped.rejections[0]?.message ?? '', /itemAppearances: content\.markMax/);
});

test('nul_removed: counted per cleaned string anywhere in the bank', () => {
  const mapped = mapPracticeBank(bank({ lesson_title: 'Plant\u0000 cells', unit_title: '\u0000' }), 0, CONTEXT);
  assert.equal(mapped.warnings.map((w) => [w.reason, w.pointer]), [
    ['nul_removed', '/0/unit_title'],
    ['nul_removed', '/0/lesson_title'],
  ]);
});

test.run();
