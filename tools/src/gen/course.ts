import { curriculum } from './curriculum.ts';
import { countEdge, edgeRates, type EdgeTally } from './edgeCases.ts';
import type { Random } from './random.ts';
import { createSampler } from './sampler.ts';
import { SUBJECT_ID, withEmoji } from './text.ts';

/** One lesson as the course file spells it (a numeric string index is an injected edge case). */
export interface CourseLessonRecord {
  lessonIndex: number | string;
  lessonID: string;
  lessonTitle: string;
}

export interface CourseUnitRecord {
  unitIndex: number;
  unitTitle: string;
  topics: { topicIndex: number; topicTitle: string; lessons: CourseLessonRecord[] }[];
}

/** A distinct course lesson with its place in the tree: what the other files link to. */
export interface LessonRef {
  unitIndex: number;
  unitTitle: string;
  topicIndex: number;
  topicTitle: string;
  lessonIndex: number;
  lessonID: string;
  lessonTitle: string;
}

export interface Course {
  units: CourseUnitRecord[];
  /** Distinct lessons in file order (duplicate entries left out). */
  lessons: LessonRef[];
  /** Entries in the file, duplicates included. */
  lessonEntries: number;
}

/** Lessons that no course has: retired, yet still named by banks and exam parts (real: "aqaGCSEBio9.9.99"). */
export function retiredLessonIds(scale: number): string[] {
  return Array.from({ length: Math.max(1, Math.round(scale)) }, (_, index) => `${SUBJECT_ID}9.9.${99 + index}`);
}

/** How many topics the course has at `scale`: round(25 × scale), and all 25 below 1×. */
export function topicSlots(scale: number): number {
  const baseTopics = curriculum.reduce((sum, unit) => sum + unit.topics.length, 0);
  return Math.max(baseTopics, Math.round(baseTopics * scale));
}

/**
 * The course at `scale`: the real 8 units, each of the 25 real topics repeated
 * about `scale` times (copy c ≥ 1 titled "… (Extension c)"), so lessonIDs keep
 * the real `aqaGCSEBio<unit>.<topic>.<lesson>` form and the tree keeps its
 * real shape (about 11 lessons a topic). Below 1× every topic keeps only its
 * first round(lessons × scale) lessons, at least one.
 */
export function buildCourse(scale: number, random: Random, tally: EdgeTally): Course {
  const duplicate = createSampler(edgeRates.course.duplicateLessonId, random);
  const numericIndex = createSampler(edgeRates.course.numericStringIndex, random);
  const emoji = createSampler(edgeRates.course.emojiInTitle, random);

  const baseTopics = curriculum.flatMap((unit, unitIndex) =>
    unit.topics.map((topic, topicIndex) => ({ unitIndex, topicIndex, topic })),
  );
  const slots = topicSlots(scale);
  const units: CourseUnitRecord[] = curriculum.map((unit, unitIndex) => ({ unitIndex, unitTitle: unit.title, topics: [] }));
  const lessons: LessonRef[] = [];
  let lessonEntries = 0;

  // Slot order is copy-major; the file lists each unit's topics by index, so collect first and sort.
  for (let slot = 0; slot < slots; slot++) {
    const base = baseTopics[slot % baseTopics.length];
    const unit = base === undefined ? undefined : units[base.unitIndex];
    if (base === undefined || unit === undefined) throw new Error(`no base topic for slot ${slot}`);
    const copy = Math.floor(slot / baseTopics.length);
    const topicsInUnit = curriculum[base.unitIndex]?.topics.length ?? 1;
    const topicIndex = copy * topicsInUnit + base.topicIndex;
    const suffix = copy === 0 ? '' : ` (Extension ${copy})`;
    unit.topics.push({ topicIndex, topicTitle: base.topic.title + suffix, lessons: [] });
  }

  for (const unit of units) {
    unit.topics.sort((a, b) => a.topicIndex - b.topicIndex);
    for (const topic of unit.topics) {
      const topicsInUnit = curriculum[unit.unitIndex]?.topics.length ?? 1;
      const copy = Math.floor(topic.topicIndex / topicsInUnit);
      const allTitles = curriculum[unit.unitIndex]?.topics[topic.topicIndex % topicsInUnit]?.lessons ?? [];
      // Below 1× every topic stays, with fewer lessons.
      const titles = scale < 1 ? allTitles.slice(0, Math.max(1, Math.round(allTitles.length * scale))) : allTitles;
      const revisions: CourseLessonRecord[] = [];
      titles.forEach((baseTitle, lessonIndex) => {
        let lessonTitle = copy === 0 ? baseTitle : `${baseTitle} (Extension ${copy})`;
        if (emoji()) {
          lessonTitle = withEmoji(lessonTitle, random);
          countEdge(tally, 'course.emojiInTitle');
        }
        const lessonID = `${SUBJECT_ID}${unit.unitIndex}.${topic.topicIndex}.${lessonIndex}`;
        const asString = numericIndex();
        if (asString) countEdge(tally, 'course.numericStringIndex');
        topic.lessons.push({ lessonIndex: asString ? String(lessonIndex) : lessonIndex, lessonID, lessonTitle });
        lessons.push({
          unitIndex: unit.unitIndex,
          unitTitle: unit.unitTitle,
          topicIndex: topic.topicIndex,
          topicTitle: topic.topicTitle,
          lessonIndex,
          lessonID,
          lessonTitle,
        });
        if (duplicate()) revisions.push({ lessonIndex: 0, lessonID, lessonTitle: `${lessonTitle} (revised)` });
      });
      // A revised entry for an earlier lesson, at the end of its topic: the later entry wins.
      for (const revision of revisions) {
        topic.lessons.push({ ...revision, lessonIndex: topic.lessons.length });
        countEdge(tally, 'course.duplicateLessonId');
      }
      lessonEntries += topic.lessons.length;
    }
  }
  return { units: units.filter((unit) => unit.topics.length > 0), lessons, lessonEntries };
}
