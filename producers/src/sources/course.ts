/**
 * course: one unit of `<subjectId>_course.json` (an element of its top-level
 * array) → one LessonDefined per lesson of its topics, keyed by lessonID.
 *
 * A lesson without lessonID is `missing_lesson_id`. Two lessons with one
 * lessonID are both produced under the same key, in file order, so the later
 * one wins on the compacted topic (counted by the producer as `duplicate_lesson_id`).
 */
import type { LessonDefined } from '@medly/shared/events/lessonDefined';
import { childPointer } from '../jsonPointer.ts';
import { createRecorder, isObject, type MappedRecord } from './recorder.ts';

export interface CourseContext {
  file: string;
  subjectId: string;
}

export function mapCourseUnit(rawUnit: unknown, index: number, context: CourseContext): MappedRecord {
  const { file, subjectId } = context;
  const recorder = createRecorder('course', file);
  const pointer = childPointer('', index);
  if (!isObject(rawUnit)) {
    recorder.reject('invalid_body', pointer, 'unit is not an object', rawUnit);
    return recorder.done(0);
  }
  const unit = recorder.storable(rawUnit, pointer) as Record<string, unknown>;
  const topics = unit.topics ?? [];
  if (!Array.isArray(topics)) {
    recorder.reject('invalid_body', pointer, 'unit topics is not an array', unit);
    return recorder.done(0);
  }
  const unitIndex = recorder.integer(unit.unitIndex, childPointer(pointer, 'unitIndex'));
  let read = 0;
  topics.forEach((topic: unknown, topicPosition) => {
    const topicPointer = childPointer(pointer, 'topics', topicPosition);
    if (!isObject(topic)) {
      recorder.reject('invalid_body', topicPointer, 'topic is not an object', topic);
      return;
    }
    const lessons = topic.lessons ?? [];
    if (!Array.isArray(lessons)) {
      recorder.reject('invalid_body', topicPointer, 'topic lessons is not an array', topic);
      return;
    }
    const topicIndex = recorder.integer(topic.topicIndex, childPointer(topicPointer, 'topicIndex'));
    lessons.forEach((lesson: unknown, lessonPosition) => {
      read += 1;
      const lessonPointer = childPointer(topicPointer, 'lessons', lessonPosition);
      if (!isObject(lesson)) {
        recorder.reject('invalid_body', lessonPointer, 'lesson is not an object', lesson);
        return;
      }
      const lessonId = lesson.lessonID;
      if (lessonId === undefined || lessonId === null || lessonId === '') {
        recorder.reject('missing_lesson_id', lessonPointer, 'lesson has no lessonID', lesson);
        return;
      }
      const event: Record<keyof LessonDefined, unknown> = {
        subjectId,
        unitIndex,
        unitTitle: unit.unitTitle,
        topicIndex,
        topicTitle: topic.topicTitle,
        lessonIndex: recorder.integer(lesson.lessonIndex, childPointer(lessonPointer, 'lessonIndex')),
        lessonId,
        title: lesson.lessonTitle,
        source: { file, pointer: lessonPointer },
      };
      recorder.emit('lessons', event, lessonPointer, lesson);
    });
  });
  return recorder.done(read);
}
