import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appearance, envelope } from '../testing/fixtures.ts';
import { contentHash, itemAppearanceRows, itemAppearancesTable } from './itemAppearances.ts';

test('an appearance row carries its content, position and lesson ids', () => {
  const [row] = itemAppearanceRows([envelope('itemAppearances', appearance({ position: 41, lessonIds: ['a', 'b'] }, { options: ['x', 'y'], correctAnswer: [1] }), 5)]);
  assert.is(row?.position, 41);
  assert.equal(row?.lesson_ids, ['a', 'b']);
  assert.equal(row?.options, ['x', 'y']);
  assert.equal(row?.correct_answer, [1]);
  assert.is(row?.text, 'State one difference.');
  assert.match(row?.content_hash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(Object.keys(row ?? {}).sort(), Object.keys(itemAppearancesTable.columns).sort());
});

test('the part keeps its order and its label; a part without a label has null', () => {
  const [labelled, unlabelled] = itemAppearanceRows([
    envelope('itemAppearances', appearance({ part: 2, partLabel: '1b' }), 0),
    envelope('itemAppearances', appearance({ questionId: 'q2', part: 3, partLabel: null }), 1),
  ]);
  assert.is(labelled?.part, 2);
  assert.is(labelled?.part_label, '1b');
  assert.is(unlabelled?.part_label, null);
});

test('the content hash ignores key order and sees every content change', () => {
  const content = appearance().content;
  const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
  assert.is(contentHash(reordered), contentHash(content));
  assert.is(contentHash({ ...content, diagram: { b: 1, a: 2 } }), contentHash({ ...content, diagram: { a: 2, b: 1 } }));
  assert.is.not(contentHash({ ...content, text: 'other' }), contentHash(content));
  assert.is.not(contentHash({ ...content, difficulty: 2 }), contentHash(content));
  assert.is.not(contentHash({ ...content, diagram: [1, 2] }), contentHash({ ...content, diagram: [2, 1] }));
});

test('where an item appears is not content: two appearances with equal content hash alike', () => {
  const [practice, exam] = itemAppearanceRows([
    envelope('itemAppearances', appearance(), 0),
    envelope('itemAppearances', appearance({ kind: 'paper', containerId: 'paper1', position: 9, lessonIds: [] }), 1),
  ]);
  assert.is(practice?.content_hash, exam?.content_hash);
});

test.run();
