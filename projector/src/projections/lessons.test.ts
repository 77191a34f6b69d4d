import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope, lesson, SEEN } from '../testing/fixtures.ts';
import { lessonRows, lessonsTable } from './lessons.ts';

test('a lesson event becomes one row with its unit and topic titles and provenance', () => {
  const [row] = lessonRows([envelope('lessons', lesson({ lessonId: 'bio1.2.3', unitIndex: 1, topicIndex: 2, lessonIndex: 3 }), 7, 2)]);
  assert.equal(row, {
    lesson_id: 'bio1.2.3',
    subject_id: 'bio',
    unit_index: 1,
    unit_title: 'Cell biology',
    topic_index: 2,
    topic_title: 'Cells',
    lesson_index: 3,
    title: 'Prokaryotes',
    source_file: 'curriculum_data/bio_course.json',
    source_pointer: '/0/topics/0/lessons/0',
    first_seen_at: SEEN.firstSeenAt,
    kafka_topic: 'fixture.curriculum.lessons',
    kafka_partition: 2,
    kafka_offset: 7,
  });
});

test('every row column has a declared type, the key first', () => {
  const [row] = lessonRows([envelope('lessons', lesson(), 0)]);
  assert.equal(Object.keys(row ?? {}).sort(), Object.keys(lessonsTable.columns).sort());
  assert.equal(lessonsTable.key, ['lesson_id']);
});

test.run();
