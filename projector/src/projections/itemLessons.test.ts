import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appearance, envelope } from '../testing/fixtures.ts';
import { itemLessonRows, linkedLessonIds } from './itemLessons.ts';

test('an exam part links to each of its lessonIDs once', () => {
  assert.equal(linkedLessonIds(appearance({ kind: 'paper', containerId: 'paper1', lessonIds: ['a', 'b', 'a'] })), ['a', 'b']);
  assert.equal(linkedLessonIds(appearance({ kind: 'paper', containerId: 'paper1', lessonIds: [] })), []);
});

test("a practice part links to its bank's lesson even when the event lists none", () => {
  assert.equal(linkedLessonIds(appearance({ containerId: 'bio9.9.99', lessonIds: [] })), ['bio9.9.99']);
  assert.equal(linkedLessonIds(appearance({ containerId: 'bio0.0.0', lessonIds: ['bio0.0.0'] })), ['bio0.0.0']);
});

test('link rows say which appearance made them, with its provenance', () => {
  const rows = itemLessonRows([envelope('itemAppearances', appearance({ kind: 'paper', containerId: 'paper1', lessonIds: ['a', 'b'] }), 4)]);
  assert.equal(
    rows.map((row) => [row.question_id, row.lesson_id, row.kind, row.container_id, row.kafka_offset]),
    [
      ['q1', 'a', 'paper', 'paper1', 4],
      ['q1', 'b', 'paper', 'paper1', 4],
    ],
  );
});

test.run();
