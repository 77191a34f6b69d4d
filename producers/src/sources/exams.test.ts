import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ItemAppeared } from '@medly/shared/events/itemAppeared';
import { mapPaperSet } from './exams.ts';
import type { MappedRecord } from './recorder.ts';

const CONTEXT = { file: 'curriculum_data/bio_exams.json', subjectId: 'bio', firstPosition: 0 };

const part = (questionID: string, extra: Record<string, unknown> = {}) => ({
  question_part: 1,
  question_type: 'long_answer',
  question_text: 'Why?',
  markmax: 2,
  markscheme: 'because (1)',
  difficulty: 3,
  lessonIDs: ['bio1.0.1', 'bio9.9.99'],
  questionID,
  ...extra,
});

const paper = (paperId: unknown, parts: unknown[]) => ({
  paper_id: paperId,
  tier: 'Higher',
  paper: '1',
  questions: [
    {
      question_number: 1,
      question_stem: 'A company…',
      question_stem_diagram: { table: [[1, 2]] },
      validation_comment: 'PASS',
      validation_reason: 'ok',
      question_id: `${String(paperId)}_q1`,
      items: parts,
    },
  ],
});

const set = (papers: unknown[]) => ({
  board_title: 'aqa',
  qualification: 'GCSE',
  subject_title: 'Biology',
  subject_id: 'bio',
  type: 'Medly',
  series: 'Sept_Mock',
  papers,
});

const appearances = (mapped: MappedRecord): ItemAppeared[] =>
  mapped.events.flatMap((e) => (e.topic === 'itemAppearances' ? [e.event] : []));

test('a paper set gives per paper a PaperDefined, its question stems and an ItemAppeared per part', () => {
  const mapped = mapPaperSet(set([paper('mock1', [part('p1'), part('p2', { question_part: 2 })]), paper('mock2', [part('p3')])]), 0, CONTEXT);
  assert.is(mapped.read, 3);
  assert.equal(mapped.rejections, []);
  assert.equal(mapped.events.map((e) => e.topic), [
    'papers', 'questions', 'itemAppearances', 'itemAppearances',
    'papers', 'questions', 'itemAppearances',
  ]);
  assert.equal(mapped.events[0]?.event, {
    subjectId: 'bio',
    paperId: 'mock1',
    board: 'aqa',
    qualification: 'GCSE',
    subjectTitle: 'Biology',
    paperType: 'Medly',
    series: 'Sept_Mock',
    tier: 'Higher',
    paperNumber: '1',
    questionCount: 1,
    source: { file: CONTEXT.file, pointer: '/0/papers/0' },
  });
  const [first, , third] = appearances(mapped);
  assert.equal(first?.lessonIds, ['bio1.0.1', 'bio9.9.99'], 'lesson links are kept, known or not');
  assert.is(first?.kind, 'paper');
  assert.is(first?.containerId, 'mock1');
  assert.is(first?.source.pointer, '/0/papers/0/questions/0/items/0');
  assert.is(third?.containerId, 'mock2');
  assert.equal(appearances(mapped).map((a) => a.position), [0, 1, 2]);
  const [, stem] = mapped.events;
  assert.equal(stem?.topic === 'questions' ? stem.event.stemDiagram : undefined, { table: [[1, 2]] });
});

test('missing_paper_id: the paper is rejected, its parts are read, positions move past them', () => {
  const mapped = mapPaperSet(set([paper(undefined, [part('p1'), part('p2')]), paper('mock2', [part('p3')])]), 1, { ...CONTEXT, firstPosition: 100 });
  assert.equal(mapped.rejections.map((r) => [r.reason, r.pointer, r.source]), [['missing_paper_id', '/1/papers/0', 'exams']]);
  assert.is(mapped.read, 3);
  assert.equal(appearances(mapped).map((a) => [a.questionId, a.position]), [['p3', 102]]);
});

test('missing_question_id and a part without lessonIDs (an empty list, not a rejection)', () => {
  const mapped = mapPaperSet(set([paper('mock1', [part('', {}), part('p2', { lessonIDs: undefined })])]), 0, CONTEXT);
  assert.equal(mapped.rejections.map((r) => [r.reason, r.pointer]), [['missing_question_id', '/0/papers/0/questions/0/items/0']]);
  assert.equal(appearances(mapped)[0]?.lessonIds, []);
});

test('invalid_body: a set, paper or papers list that is not what it should be', () => {
  assert.equal(mapPaperSet(null, 0, CONTEXT).rejections.map((r) => r.reason), ['invalid_body']);
  assert.equal(mapPaperSet(set('x' as unknown as unknown[]), 0, CONTEXT).rejections.map((r) => r.reason), ['invalid_body']);
  assert.equal(mapPaperSet(set([3]), 0, CONTEXT).rejections.map((r) => [r.reason, r.pointer]), [['invalid_body', '/0/papers/0']]);
});

test('numeric strings in a part are coerced; a bad lesson id is an invalid_record', () => {
  const mapped = mapPaperSet(set([paper('mock1', [part('p1', { markmax: '2', question_part: '3' }), part('p2', { lessonIDs: [''] })])]), 0, CONTEXT);
  const [first] = appearances(mapped);
  assert.is(first?.content.markMax, 2);
  assert.is(first?.part, 3);
  assert.is(first?.partLabel, '3');
  assert.equal(mapped.warnings.map((w) => w.reason), ['numeric_string_coerced', 'numeric_string_coerced']);
  assert.equal(mapped.rejections.map((r) => r.reason), ['invalid_record']);
  assert.match(mapped.rejections[0]?.message ?? '', /lessonIds\.0/);
});

test('numbered parts keep their number as part and as label: the real files hold only these', () => {
  const mapped = mapPaperSet(set([paper('mock1', [part('p1'), part('p2', { question_part: 2 }), part('p4', { question_part: 4 })])]), 0, CONTEXT);
  assert.equal(appearances(mapped).map((a) => [a.part, a.partLabel]), [[1, '1'], [2, '2'], [4, '4']]);
  assert.equal(mapped.warnings, []);
});

test('part_number_from_position: a part labelled "1a" (or not at all) is kept, ordered by its place in its question', () => {
  const parts = [part('p1', { question_part: '1a' }), part('p2', { question_part: '1b' }), part('p3', { question_part: undefined }), part('p4', { question_part: 4 })];
  const mapped = mapPaperSet(set([paper('mock1', parts)]), 0, CONTEXT);
  assert.equal(mapped.rejections, []);
  assert.equal(appearances(mapped).map((a) => [a.questionId, a.part, a.partLabel]), [['p1', 1, '1a'], ['p2', 2, '1b'], ['p3', 3, null], ['p4', 4, '4']]);
  assert.equal(mapped.warnings.map((w) => [w.reason, w.pointer.replace('/0/papers/0/questions/0/items/', '')]), [
    ['part_number_from_position', '0/question_part'],
    ['part_number_from_position', '1/question_part'],
    ['part_number_from_position', '2/question_part'],
  ]);
});

test('a part label that is not a label (a fraction, a list, over 64 characters) is still an invalid_record', () => {
  for (const questionPart of [1.5, [1], true, 'x'.repeat(65)]) {
    const mapped = mapPaperSet(set([paper('mock1', [part('p1', { question_part: questionPart })])]), 0, CONTEXT);
    assert.equal(mapped.rejections.map((r) => r.reason), ['invalid_record'], JSON.stringify(questionPart).slice(0, 20));
  }
});

test('negative_mark_max: a negative markmax, number or numeric string, is null and counted; zero is kept', () => {
  const mapped = mapPaperSet(set([paper('mock1', [part('p1', { markmax: -3 }), part('p2', { markmax: '-1' }), part('p3', { markmax: 0 })])]), 0, CONTEXT);
  assert.equal(appearances(mapped).map((a) => a.content.markMax), [null, null, 0]);
  assert.equal(mapped.warnings.map((w) => [w.reason, w.pointer.replace('/0/papers/0/questions/0/items/', '')]), [
    ['negative_mark_max', '0/markmax'],
    ['numeric_string_coerced', '1/markmax'],
    ['negative_mark_max', '1/markmax'],
  ]);
});

test.run();
