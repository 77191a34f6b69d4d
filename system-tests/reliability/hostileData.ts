/**
 * A data folder of hostile exports, written by the test into a temporary
 * folder, and what a correct import makes of it.
 *
 * Subject `hx` holds one record per rule of DESIGN §3–§4 (every rejection
 * reason, every warning, NUL, emoji, a 2 MB record, deep nesting, very long
 * ids, duplicated keys) and the odd values of issue 13 item 7 (a lone UTF-16
 * surrogate, epoch seconds, a time in 2099, a negative markmax, parts
 * labelled "1a") among good records that must all arrive. Beside it,
 * files that are broken as a whole (invalid JSON, truncated, empty, the wrong
 * top-level type) must each fail their source by name while everything else
 * is imported.
 *
 * The user export is written as text, not JSON.stringify'd, so that it can
 * hold what JSON.stringify cannot: a duplicated member inside one object and a
 * duplicated key in `targets`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SUBJECT = 'hx';
export const TWO_MB = 2 * 1024 * 1024;
export const DEEP = 100_000;
export const LONG_UID = `u${'x'.repeat(599)}`;
export const TEN_KB_QUESTION_ID = `q${'y'.repeat(10 * 1024 - 1)}`;
/** 400 characters: within the events' 512-character id limit, so it is kept. */
export const LONG_QUESTION_ID = `hxLong${'z'.repeat(394)}`;
/** 500 characters: a lesson id the events accept (the API's ids stop at 256). */
export const LONG_LESSON_ID = `hxL${'l'.repeat(497)}`;
export const EMOJI_UID = 'hx🙂user';
export const EMOJI_QUESTION_ID = 'hxQ🙂';

const mock = (uid: string, questionId: string) => `users/${uid}/subjectsWeb/${SUBJECT}/mocks/hxPaper1/questions/${questionId}`;
const practice = (uid: string, lessonId: string, questionId: string) =>
  `users/${uid}/subjectsWeb/${SUBJECT}/lessons/${lessonId}/practice/${questionId}`;

/** `[[[…1…]]]`, `depth` arrays deep. */
export const nestedText = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** The user export's entries as [key, raw JSON text of the body]. */
export const ATTEMPTS = {
  mockGood: [mock('hxUserA', 'hxQ1a'), '{"createdAt":"2025-09-15T07:53:09.441000+00:00","questionID":"hxQ1a","isMarked":false}'],
  /** Duplicated member: `isMarked` twice; the later (true) must win, as in JSON.parse. */
  practiceGood: [
    practice('hxUserA', 'hx0.0.0', 'hxP1'),
    '{"createdAt":1736000000000,"questionID":"hxP1","userAnswer":"🧬🙂 emoji answer","isMarked":false,"isMarked":true}',
  ],
  unparseableKey: ['users/hxUserA/notAnAttemptPath', '{"createdAt":1}'],
  bodyNumber: [mock('hxUserA', 'hxQ2b'), '42'],
  bodyNull: [mock('hxUserA', 'hxQ1c'), 'null'],
  mismatch: [mock('hxUserA', 'hxShared'), '{"questionID":"hxSomethingElse","createdAt":"2025-09-15T08:00:00Z"}'],
  badTimestamp: [mock('hxUserB', 'hxQ1a'), '{"createdAt":"yesterday"}'],
  updatedBeforeCreated: [practice('hxUserB', 'hx0.0.0', 'hxP1'), '{"createdAt":"2025-01-02T00:00:00Z","updatedAt":"2025-01-01T23:00:00Z"}'],
  nul: [practice('hxUserB', 'hx.orphan', 'hxOrphan1'), '{"userAnswer":"nu\\u0000ll","ke\\u0000y":"v","createdAt":"2025-01-03T00:00:00Z"}'],
  emoji: [mock(EMOJI_UID, EMOJI_QUESTION_ID), '{"userAnswer":"🙂","createdAt":"2025-01-04T00:00:00Z"}'],
  unresolved: [mock('hxUserB', 'hxNoSuchItem'), '{"createdAt":"2025-01-05T00:00:00Z"}'],
  twoMegabytes: [mock('hxUserC', 'hxQ1a'), `{"canvas":"${'x'.repeat(TWO_MB)}"}`],
  deep: [practice('hxUserC', 'hx0.0.0', 'hxP1'), `{"canvas":${nestedText(DEEP)}}`],
  shallowNesting: [practice('hxUserC', 'hx0.0.3', 'hxP2'), `{"canvas":${nestedText(50)},"createdAt":"2025-01-06T00:00:00Z"}`],
  longUid: [mock(LONG_UID, 'hxQ1a'), '{}'],
  tenKilobyteQuestionId: [mock('hxUserD', TEN_KB_QUESTION_ID), '{}'],
  longQuestionId: [mock('hxUserD', LONG_QUESTION_ID), '{"createdAt":"2025-01-07T00:00:00Z"}'],
  markNotNumber: [mock('hxUserD', 'hxQ1a'), '{"userMark":"abc"}'],
  /** A lone surrogate (valid JSON, no UTF-8 form): kept, as U+FFFD. */
  loneSurrogate: [mock('hxUserE', 'hxQ1a'), '{"canvas":{"textboxes":[{"text":"cell\\ud800 wall"}]},"createdAt":"2025-01-08T00:00:00Z"}'],
  /** Epoch seconds: 2023-09-15T07:53:09Z, not 1970-01-20. On the part labelled "1a". */
  epochSeconds: [mock('hxUserE', 'hxQ3a'), '{"createdAt":1694764389}'],
  /** A time no import of this data can hold: null, raw kept; not the user's last_seen. */
  implausibleTime: [mock('hxUserE', 'hxShared'), '{"createdAt":"2099-01-01T00:00:00Z"}'],
  /** The first entry's key again: the later value is the one kept. */
  duplicateKey: [mock('hxUserA', 'hxQ1a'), '{"createdAt":"2025-09-16T00:00:00Z","userMark":3,"isMarked":true}'],
} as const satisfies Record<string, readonly [string, string]>;

const lesson = (index: number, lessonID: unknown, title: unknown) => ({ lessonIndex: index, lessonID, lessonTitle: title });

const COURSE = [
  {
    unitIndex: 0,
    unitTitle: 'Cells',
    topics: [
      {
        topicIndex: 0,
        topicTitle: 'Structure',
        lessons: [
          lesson(0, 'hx0.0.0', 'Cells 🧬'),
          { lessonIndex: 1, lessonTitle: 'No id' },
          lesson(2, 'hx0.0.0', 'Cells (the later one)'),
          { lessonIndex: '3', lessonID: 'hx0.0.3', lessonTitle: 'Numeric index' },
          lesson(4, 'hx0.0.4', 'Mi\u0000tosis'),
          lesson(5, `hx${'L'.repeat(598)}`, 'Id too long'),
          lesson(6, LONG_LESSON_ID, 'Long id'),
          lesson(7, 'hx0.0.7', 42),
        ],
      },
    ],
  },
  'not a unit',
  { unitIndex: 2, unitTitle: 'Broken', topics: 'not a list' },
];

const part = (number: number, fields: Record<string, unknown>) => ({ question_part: number, question_type: 'short_answer', markmax: 1, ...fields });

const EXAMS = [
  {
    board_title: 'aqa',
    qualification: 'GCSE',
    subject_title: 'Hostility',
    type: 'Medly',
    series: 'Sept_Mock',
    papers: [
      {
        paper_id: 'hxPaper1',
        tier: 'Higher',
        paper: '1',
        questions: [
          {
            question_number: 1,
            question_stem: 'Stem one 🧪',
            question_id: 'hxS1',
            items: [
              part(1, { question_text: 'Q1a', difficulty: '3', lessonIDs: ['hx0.0.0', 'hx.ghost'], questionID: 'hxQ1a' }),
              part(2, { question_text: 'a part without its id' }),
              part(3, { question_text: 'Paper wording', lessonIDs: [], questionID: 'hxShared' }),
            ],
          },
          {
            question_number: 2,
            question_stem: 'Stem two',
            question_id: 'hxS2',
            items: [
              part(1, { question_text: 123, questionID: 'hxQ2a' }),
              part(2, { question_text: 'an emoji id', lessonIDs: [], questionID: EMOJI_QUESTION_ID }),
            ],
          },
          {
            question_number: 3,
            question_stem: 'Stem three, parts with letters',
            question_id: 'hxS3',
            items: [
              { ...part(1, { question_text: 'Lettered part', questionID: 'hxQ3a' }), question_part: '1a' },
              { ...part(2, { question_text: 'A negative mark maximum', questionID: 'hxQ3b', markmax: -3 }), question_part: '1b' },
            ],
          },
        ],
      },
      {
        tier: 'Higher',
        paper: '2',
        questions: [{ question_number: 1, question_stem: 'lost', question_id: 'hxS9', items: [part(1, { question_text: 'lost', questionID: 'hxLostPaperItem' })] }],
      },
    ],
  },
];

const bank = (fields: Record<string, unknown>, questionId: string, parts: Record<string, unknown>[]) => ({
  exam_board: 'AQA',
  qualification: 'GCSE',
  subject: 'Hostility',
  unit_index: 0,
  unit_title: 'Cells',
  topic_index: 0,
  topic_title: 'Structure',
  lesson_index: 0,
  lesson_title: 'Cells',
  chunks_used: [{ chunk_index: 0, chunk_title: 'part 1' }],
  ...fields,
  items: parts.length === 0 ? [] : [{ question_number: 1, question_stem: 'Practice stem', question_id: questionId, items: parts }],
});

const PRACTICES = [
  bank({ lessonID: 'hx0.0.0', original_lessonID: 'hx0.0.0' }, 'hxPS1', [
    part(1, { question_text: 'Practice wording', difficulty: 1, questionID: 'hxShared' }),
    part(2, { question_text: 'P1', questionID: 'hxP1' }),
    // A lone surrogate in a text column: kept as U+FFFD, counted.
    part(3, { question_text: 'Lone \ud800 surrogate', questionID: 'hxP3' }),
  ]),
  bank({ original_lessonID: 'hx0.0.3' }, 'hxPS2', [part(1, { question_text: 'P2', questionID: 'hxP2' })]),
  bank({}, 'hxPS3', [part(1, { question_text: 'lost', questionID: 'hxLost' })]),
  [1, 2, 3],
  bank({ lessonID: 'hx.orphan', original_lessonID: 'hx.orphan' }, 'hxPS4', [part(1, { question_text: 'Orphan', questionID: 'hxOrphan1' })]),
  bank({ lessonID: 'hx0.0.0', lesson_title: 'Cells (the later bank)' }, 'unused', []),
  // A diagram nested 100 000 deep: the whole bank is refused (its one part still counts as read).
  bank({ lessonID: 'hx0.0.4' }, 'hxPS5', [part(1, { question_text: 'deep', question_diagram: 'DEEP', questionID: 'hxDeep' })]),
];

/** Whole files that are broken, each with the message its failure must carry. */
export const BROKEN_FILES = {
  invalidJson: {
    source: 'users',
    file: 'user_data/broken_syntax.json',
    text: `{"targets":{"${mock('hxBroken', 'hxQ1a')}":{"createdAt":1,}}}`,
    message: /user_data\/broken_syntax\.json: invalid JSON at line 1, column \d+/,
  },
  truncated: {
    source: 'exams',
    file: 'curriculum_data/hz_exams.json',
    text: JSON.stringify(EXAMS).replaceAll('hx', 'hz').slice(0, 300),
    message: /curriculum_data\/hz_exams\.json: invalid JSON at line 1, column \d+/,
  },
  empty: {
    source: 'practices',
    file: 'curriculum_data/hw_practices.json',
    text: '',
    message: /curriculum_data\/hw_practices\.json: invalid JSON at line 1, column 1/,
  },
  courseNotAnArray: {
    source: 'course',
    file: 'curriculum_data/hy_course.json',
    text: JSON.stringify({ units: COURSE }),
    message: /curriculum_data\/hy_course\.json: unexpected structure: .*should be an array/,
  },
  usersWithoutTargets: {
    source: 'users',
    file: 'user_data/broken_top_level.json',
    text: JSON.stringify([{ targets: {} }]),
    message: /user_data\/broken_top_level\.json: no "targets" object at the top level/,
  },
} as const;

export function usersFileText(): string {
  const entries = Object.values(ATTEMPTS).map(([key, body]) => `    ${JSON.stringify(key)}: ${body}`);
  return `{\n  "targets": {\n${entries.join(',\n')}\n  }\n}\n`;
}

/** Writes the hostile data folder (good `hx` files and the broken ones) under `dataDir`. */
export async function writeHostileData(dataDir: string): Promise<void> {
  await mkdir(join(dataDir, 'curriculum_data'), { recursive: true });
  await mkdir(join(dataDir, 'user_data'), { recursive: true });
  await writeFile(join(dataDir, 'user_data/hx_users.json'), usersFileText());
  await writeFile(join(dataDir, `curriculum_data/${SUBJECT}_course.json`), JSON.stringify(COURSE, null, 1));
  await writeFile(join(dataDir, `curriculum_data/${SUBJECT}_exams.json`), JSON.stringify(EXAMS, null, 1));
  const practices = JSON.stringify(PRACTICES, null, 1).replace('"DEEP"', nestedText(DEEP));
  await writeFile(join(dataDir, `curriculum_data/${SUBJECT}_practices.json`), practices);
  for (const broken of Object.values(BROKEN_FILES)) await writeFile(join(dataDir, broken.file), broken.text);
}

/** What the report's sources half must say (DESIGN §5), worked out by hand from the files above. */
export const EXPECTED_SOURCES = {
  users: {
    read: 22,
    produced: 14,
    // The repeated targets key is produced twice (the later value wins), but by the producers' documented
    // scope (duplicateKeys.ts) only container keys are remembered across records, so it is not counted.
    deduplicated: 0,
    users: 6,
    rejected: { invalid_body: 2, invalid_record: 4, too_large: 1, unparseable_key: 1 },
    warnings: {
      implausible_timestamp: 1,
      invalid_timestamp: 1,
      nul_removed: 2,
      question_id_mismatch: 1,
      timestamp_in_seconds: 1,
      unpaired_surrogate_replaced: 1,
      updated_before_created: 1,
    },
  },
  course: {
    read: 8,
    produced: 5,
    deduplicated: 1,
    rejected: { invalid_body: 2, invalid_record: 2, missing_lesson_id: 1 },
    warnings: { duplicate_lesson_id: 1, nul_removed: 1, numeric_string_coerced: 1 },
  },
  exams: {
    read: 8,
    produced: 9,
    deduplicated: 0,
    rejected: { invalid_record: 1, missing_paper_id: 1, missing_question_id: 1 },
    warnings: { negative_mark_max: 1, numeric_string_coerced: 1, part_number_from_position: 2 },
  },
  practices: {
    read: 7,
    produced: 12,
    deduplicated: 1,
    rejected: { invalid_body: 1, invalid_record: 1, missing_lesson_id: 1 },
    warnings: { duplicate_bank_lesson_id: 1, unpaired_surrogate_replaced: 1 },
  },
} as const;

/** Warnings only the projected state can tell. */
export const EXPECTED_PROJECTION_WARNINGS = { conflicting_item_content: 1, unknown_lesson: 2, unresolved_question: 2 };

/** Row counts of the projection tables. */
export const EXPECTED_ROWS = {
  lessons: 4,
  papers: 1,
  questions: 6,
  practice_banks: 3,
  items: 9,
  item_appearances: 10,
  attempts: 13,
  users: 6,
} as const;
