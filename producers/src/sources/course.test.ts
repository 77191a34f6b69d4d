import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mapCourseUnit } from './course.ts';

const CONTEXT = { file: 'curriculum_data/bio_course.json', subjectId: 'bio' };

const unit = (lessons: unknown[], extra: Record<string, unknown> = {}) => ({
  unitIndex: 0,
  unitTitle: 'Cell biology',
  topics: [{ topicIndex: 1, topicTitle: 'Cells', lessons }],
  ...extra,
});

test('one LessonDefined per lesson, with its unit and topic, keyed by lessonID, pointing into the file', () => {
  const mapped = mapCourseUnit(
    unit([
      { lessonIndex: 0, lessonID: 'bio0.1.0', lessonTitle: 'Prokaryotes' },
      { lessonIndex: 1, lessonID: 'bio0.1.1', lessonTitle: 'Eukaryotes' },
    ]),
    2,
    CONTEXT,
  );
  assert.is(mapped.read, 2);
  assert.equal(mapped.rejections, []);
  assert.equal(mapped.warnings, []);
  assert.equal(mapped.events[1], {
    topic: 'lessons',
    event: {
      subjectId: 'bio',
      unitIndex: 0,
      unitTitle: 'Cell biology',
      topicIndex: 1,
      topicTitle: 'Cells',
      lessonIndex: 1,
      lessonId: 'bio0.1.1',
      title: 'Eukaryotes',
      source: { file: CONTEXT.file, pointer: '/2/topics/0/lessons/1' },
    },
  });
});

test('missing_lesson_id: a lesson without lessonID is rejected; the others go on', () => {
  const mapped = mapCourseUnit(unit([{ lessonIndex: 0, lessonTitle: 'No id' }, { lessonIndex: 1, lessonID: 'bio0.1.1', lessonTitle: 'Ok' }]), 0, CONTEXT);
  assert.is(mapped.read, 2);
  assert.is(mapped.events.length, 1);
  assert.equal(
    mapped.rejections.map((r) => [r.reason, r.pointer, r.source]),
    [['missing_lesson_id', '/0/topics/0/lessons/0', 'course']],
  );
});

test('numeric_string_coerced: indexes given as strings become integers', () => {
  const mapped = mapCourseUnit(unit([{ lessonIndex: '4', lessonID: 'bio0.1.4', lessonTitle: 'x' }], { unitIndex: '0' }), 0, CONTEXT);
  const [lesson] = mapped.events;
  assert.is(lesson?.topic === 'lessons' ? lesson.event.lessonIndex : undefined, 4);
  assert.is(lesson?.topic === 'lessons' ? lesson.event.unitIndex : undefined, 0);
  assert.equal(mapped.warnings, [
    { reason: 'numeric_string_coerced', pointer: '/0/unitIndex' },
    { reason: 'numeric_string_coerced', pointer: '/0/topics/0/lessons/0/lessonIndex' },
  ]);
});

test('invalid_body: a unit, topic or lesson that is not an object', () => {
  assert.equal(mapCourseUnit('unit', 0, CONTEXT).rejections.map((r) => r.reason), ['invalid_body']);
  assert.equal(mapCourseUnit({ topics: 'x' }, 0, CONTEXT).rejections.map((r) => r.reason), ['invalid_body']);
  const mapped = mapCourseUnit({ unitIndex: 0, unitTitle: 'u', topics: [7, { topicIndex: 0, topicTitle: 't', lessons: [null] }] }, 0, CONTEXT);
  assert.equal(mapped.rejections.map((r) => [r.reason, r.pointer]), [
    ['invalid_body', '/0/topics/0'],
    ['invalid_body', '/0/topics/1/lessons/0'],
  ]);
  assert.is(mapped.read, 1);
});

test('invalid_record: a lesson missing what its schema requires (a title) is rejected, naming the field', () => {
  const mapped = mapCourseUnit(unit([{ lessonIndex: 0, lessonID: 'bio0.1.0' }]), 0, CONTEXT);
  assert.equal(mapped.events, []);
  assert.is(mapped.rejections[0]?.reason, 'invalid_record');
  assert.match(mapped.rejections[0]?.message ?? '', /title: Required/);
});

test('nul_removed: NULs go from titles and ids, counted per string', () => {
  const mapped = mapCourseUnit(unit([{ lessonIndex: 0, lessonID: 'bio\u00000.1.0', lessonTitle: 'A\u0000' }]), 0, CONTEXT);
  const [lesson] = mapped.events;
  assert.is(lesson?.topic === 'lessons' ? lesson.event.lessonId : undefined, 'bio0.1.0');
  assert.equal(mapped.warnings.map((w) => w.reason), ['nul_removed', 'nul_removed']);
});

test('two lessons with one lessonID are both produced, in file order, under the same key', () => {
  const mapped = mapCourseUnit(
    unit([
      { lessonIndex: 0, lessonID: 'bio0.1.0', lessonTitle: 'First' },
      { lessonIndex: 1, lessonID: 'bio0.1.0', lessonTitle: 'Second' },
    ]),
    0,
    CONTEXT,
  );
  assert.equal(
    mapped.events.map((e) => (e.topic === 'lessons' ? [e.event.lessonId, e.event.title] : [])),
    [['bio0.1.0', 'First'], ['bio0.1.0', 'Second']],
  );
});

test.run();
