/** Small, valid events and envelopes for the projection tests. */
import type { AttemptRecorded } from '@medly/shared/events/attemptRecorded';
import type { ItemAppeared } from '@medly/shared/events/itemAppeared';
import type { LessonDefined } from '@medly/shared/events/lessonDefined';
import type { PaperDefined } from '@medly/shared/events/paperDefined';
import type { PracticeBankDefined } from '@medly/shared/events/practiceBankDefined';
import type { QuestionDefined } from '@medly/shared/events/questionDefined';
import type { RecordRejected } from '@medly/shared/events/recordRejected';
import type { UserProfileChanged } from '@medly/shared/events/userProfileChanged';
import type { EventOf, TopicId } from '@medly/shared/topics';
import { topicName } from '@medly/shared/topics';
import type { Decoded } from '../decode.ts';
import type { EnvelopeOf, Seen } from '../envelope.ts';

export const PREFIX = 'fixture.';

/** The import the fixtures were seen in: every key first seen in it. */
export const SEEN: Seen = { importedAt: '2026-01-01T00:00:00.000Z', firstSeenAt: '2026-01-01T00:00:00.000Z', entityFirstSeenAt: '2026-01-01T00:00:00.000Z' };

export function envelope<Id extends TopicId>(topicId: Id, event: EventOf<Id>, offset: number, partition = 0, seen: Seen = SEEN): EnvelopeOf<Id> {
  return { topicId, event, position: { topic: topicName(PREFIX, topicId), partition, offset }, seen } as EnvelopeOf<Id>;
}

/** A tombstone of a key, as the projector decodes one. */
export function tombstone(topicId: TopicId, key: string, offset: number, partition = 0): Decoded {
  return { kind: 'tombstone', tombstone: { topicId, key, position: { topic: topicName(PREFIX, topicId), partition, offset }, seen: SEEN } };
}

export function asDecoded(...envelopes: EnvelopeOf<TopicId>[]): Decoded[] {
  return envelopes.map((item) => ({ kind: 'event', envelope: item }));
}

export function lesson(overrides: Partial<LessonDefined> = {}): LessonDefined {
  return {
    subjectId: 'bio',
    unitIndex: 0,
    unitTitle: 'Cell biology',
    topicIndex: 0,
    topicTitle: 'Cells',
    lessonIndex: 0,
    lessonId: 'bio0.0.0',
    title: 'Prokaryotes',
    source: { file: 'curriculum_data/bio_course.json', pointer: '/0/topics/0/lessons/0' },
    ...overrides,
  };
}

export function paper(overrides: Partial<PaperDefined> = {}): PaperDefined {
  return {
    subjectId: 'bio',
    paperId: 'paper1',
    board: 'aqa',
    qualification: 'GCSE',
    subjectTitle: 'Biology',
    paperType: 'Medly',
    series: 'Sept_Mock',
    tier: 'Higher',
    paperNumber: '1',
    questionCount: 1,
    source: { file: 'curriculum_data/bio_exams.json', pointer: '/0/papers/0' },
    ...overrides,
  };
}

export function bank(overrides: Partial<PracticeBankDefined> = {}): PracticeBankDefined {
  return {
    subjectId: 'bio',
    lessonId: 'bio0.0.0',
    originalLessonId: null,
    examBoard: 'AQA',
    qualification: 'GCSE',
    subjectTitle: 'Biology',
    unitIndex: 0,
    unitTitle: 'Cell biology',
    topicIndex: 0,
    topicTitle: 'Cells',
    lessonIndex: 0,
    lessonTitle: 'Prokaryotes',
    chunks: [{ index: 0, title: 'part 1' }],
    questionCount: 1,
    source: { file: 'curriculum_data/bio_practices.json', pointer: '/0' },
    ...overrides,
  };
}

export function question(overrides: Partial<QuestionDefined> = {}): QuestionDefined {
  return {
    kind: 'practice',
    containerId: 'bio0.0.0',
    subjectId: 'bio',
    stemId: 'stem1',
    questionNumber: 1,
    stem: 'A student investigated cells.',
    stemDiagram: null,
    validationComment: 'PASS',
    validationReason: null,
    partCount: 1,
    source: { file: 'curriculum_data/bio_practices.json', pointer: '/0/items/0' },
    ...overrides,
  };
}

export function appearance(overrides: Partial<ItemAppeared> = {}, content: Partial<ItemAppeared['content']> = {}): ItemAppeared {
  return {
    kind: 'practice',
    containerId: 'bio0.0.0',
    subjectId: 'bio',
    stemId: 'stem1',
    questionNumber: 1,
    part: 1,
    partLabel: '1',
    questionId: 'q1',
    position: 0,
    lessonIds: ['bio0.0.0'],
    content: {
      questionType: 'short_answer',
      text: 'State one difference.',
      markMax: 2,
      markScheme: 'nucleus',
      difficulty: 1,
      specificationPoint: '4.1.1.1',
      options: null,
      correctAnswer: null,
      diagram: null,
      ...content,
    },
    source: { file: 'curriculum_data/bio_practices.json', pointer: '/0/items/0/items/0' },
    ...overrides,
  };
}

export function attempt(overrides: Partial<AttemptRecorded> = {}): AttemptRecorded {
  const uid = overrides.uid ?? 'user1';
  const questionId = overrides.questionId ?? 'q1';
  return {
    path: `users/${uid}/subjectsWeb/bio/mocks/paper1/questions/${questionId}`,
    uid,
    subjectId: 'bio',
    context: 'mock',
    paperId: 'paper1',
    lessonId: null,
    questionId,
    bodyQuestionId: questionId,
    createdAt: '2025-09-15T07:53:09.441Z',
    createdAtRaw: '2025-09-15T07:53:09.441000+00:00',
    updatedAt: null,
    updatedAtRaw: null,
    isMarked: false,
    userMark: null,
    userAnswer: null,
    annotatedAnswer: null,
    markingTable: null,
    options: null,
    canvas: { maths: [], paths: [], textboxes: [] },
    extra: {},
    source: { file: 'user_data/user_data.json', pointer: `/targets/users~1${uid}` },
    ...overrides,
  };
}

export function profile(overrides: Partial<UserProfileChanged> = {}): UserProfileChanged {
  return {
    uid: 'user1',
    displayName: 'Ada',
    metadata: { school: 'Hill' },
    changedAt: '2025-10-01T10:00:00.000Z',
    requestId: 'req-1',
    ...overrides,
  };
}

export function rejection(overrides: Partial<RecordRejected> = {}): RecordRejected {
  return {
    source: 'users',
    file: 'user_data/user_data.json',
    pointer: '/targets/bad',
    reason: 'unparseable_key',
    message: 'path does not parse',
    excerpt: '{"x":1}',
    ...overrides,
  };
}
