/**
 * Every edge case the generator injects, with its rate. The real export carries
 * some of them (marked "real"); the others are ones DESIGN.md §3/§4 says the
 * pipeline must survive. Each is injected by a seeded sampler (sampler.ts), so
 * its count is about rate × records and at least one shows up at 1×.
 *
 * Course (per lesson):
 *   duplicateLessonId     a topic ends with a second entry for one of its lessonIDs, retitled "(revised)": the later one wins
 *   numericStringIndex    "lessonIndex": "5" instead of 5
 *   emojiInTitle          an emoji in lessonTitle (the bank repeats it)
 * Exams (per part unless said):
 *   missingDifficulty     no `difficulty` key, with the real export's different key order (real: 8 of 64)
 *   numericStringDifficulty  "difficulty": "3"
 *   unknownLessonId       one of `lessonIDs` names a retired lesson that no course has
 *   nulInText             a NUL character (U+0000) inside question_text
 *   reusedInPractice      the part also appears in the practice bank of its first lesson (real: 59 of 64; a normal case)
 *   conflictWithPaper     of the reused parts, the practice copy says something else (markmax, markscheme): paper wins
 * Practices (per bank, then per part):
 *   missingLessonId       bank without `lessonID`: use `original_lessonID`
 *   legacyOriginalId      `original_lessonID` in the legacy "aqaGCSEBiology…" form, differing from lessonID (real: 1 of 281)
 *   conflictingCopy       a bank repeats the previous bank's first question (same question_id and questionIDs), first part reworded (real: 1 of 281)
 *   retiredBanks          round(K) extra banks at the end whose lessonID is in no course (real: 1, "aqaGCSEBio9.9.99")
 *   repeatedLessonBanks   round(K) extra banks at the end repeating an earlier bank's lessonID, with other metadata and no items (real: 1)
 *   numericStringDifficulty / numericStringMarkmax   "difficulty": "3", "markmax": "2"
 *   missingDifficulty     no `difficulty` key (real: 2 of 5,183)
 *   nulInText / emojiInStem
 * Users (per attempt):
 *   updatedBeforeCreated  updatedAt one hour before createdAt, a time-zone slip (real: 48 of 1,061)
 *   updatedAfterCreated   a normal later updatedAt
 *   createdAt forms: ISO with 6-digit fraction and Z (real, most) or +00:00 (real, 9%), ISO without fraction (real: 1),
 *     ISO with milliseconds, ISO without offset, ISO with +01:00, epoch milliseconds as a number, garbage text
 *   missingBodyQuestionId / mismatchedBodyQuestionId   body questionID absent / naming another question than the path
 *   unknownQuestionId     the path's questionID names no question
 *   nulInAnswer / emojiInAnswer   in a textbox text
 *   unparseableKey        a path of neither Firebase shape
 *   invalidBody           a body that is not an object (null, a string, an array, a number)
 */
export const edgeRates = {
  course: {
    duplicateLessonId: 1 / 250,
    numericStringIndex: 1 / 250,
    emojiInTitle: 1 / 250,
  },
  exams: {
    missingDifficulty: 8 / 64,
    numericStringDifficulty: 1 / 60,
    unknownLessonId: 1 / 60,
    nulInText: 1 / 60,
    reusedInPractice: 59 / 64,
    conflictWithPaper: 1 / 30,
  },
  practices: {
    missingLessonId: 1 / 250,
    legacyOriginalId: 1 / 250,
    conflictingCopy: 1 / 250,
    numericStringDifficulty: 1 / 400,
    numericStringMarkmax: 1 / 1000,
    missingDifficulty: 1 / 2500,
    nulInText: 1 / 2000,
    emojiInStem: 1 / 1000,
  },
  users: {
    updatedBeforeCreated: 0.045,
    updatedAfterCreated: 0.035,
    epochMillis: 0.02,
    garbageTimestamp: 0.003,
    missingBodyQuestionId: 0.005,
    mismatchedBodyQuestionId: 0.003,
    unknownQuestionId: 0.005,
    nulInAnswer: 0.002,
    emojiInAnswer: 0.01,
    unparseableKey: 0.001,
    invalidBody: 0.001,
  },
} as const;

/** How many times each edge case was injected, by file and case, printed at the end of a run. */
export type EdgeTally = Record<string, number>;

export function countEdge(tally: EdgeTally, name: string): void {
  tally[name] = (tally[name] ?? 0) + 1;
}
