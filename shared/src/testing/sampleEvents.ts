import type { LessonDefined } from '../events/lessonDefined.ts';

/** The first lesson of the shared course file, as its event: a valid event for codec tests. */
export const sampleLesson: LessonDefined = {
  subjectId: 'aqaGCSEBio',
  unitIndex: 0,
  unitTitle: 'Cell biology',
  topicIndex: 0,
  topicTitle: 'The Structure of Cells',
  lessonIndex: 0,
  lessonId: 'aqaGCSEBio0.0.0',
  title: 'Prokaryotic and Eukaryotic Cells',
  source: { file: 'curriculum_data/aqaGCSEBio_course.json', pointer: '/0/topics/0/lessons/0' },
};
