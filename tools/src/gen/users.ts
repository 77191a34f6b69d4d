import { countEdge, edgeRates, type EdgeTally } from './edgeCases.ts';
import type { Random } from './random.ts';
import type { PaperTarget, PartRef, PracticeTarget } from './refs.ts';
import { createSampler } from './sampler.ts';
import { SUBJECT_ID, STUDENT_ANSWERS, withEmoji, withNul } from './text.ts';
import { CREATED_AT_FORMS, GARBAGE_TIMESTAMPS, formatTimestamp } from './timestamps.ts';

export interface UsersInput {
  scale: number;
  papers: readonly PaperTarget[];
  practiceTargets: readonly PracticeTarget[];
  random: Random;
  tally: EdgeTally;
}

export interface UsersCounts {
  users: number;
  attempts: number;
  mockAttempts: number;
  practiceAttempts: number;
}

interface TextBox {
  text: string;
  isMath: boolean;
  color: string;
  fontSize: number;
  x: number;
  y: number;
}

/** One sitting: a run of parts of one paper or one practice bank. */
interface Session {
  kind: 'mock' | 'practice';
  /** The path between the subject and the questionID. */
  container: string;
  parts: PartRef[];
  /** Every part of the paper or bank, for a mismatching body questionID. */
  all: readonly PartRef[];
  /** Start of a questionID that names no question. */
  unknownPrefix: string;
}

const FIRST_DAY = Date.UTC(2025, 8, 1);
const DAY_MS = 86_400_000;

/**
 * The `targets` of the Firebase export, one `[path, attempt]` at a time:
 * round(36 × K) users, each sitting part or all of a mock paper (78%) and
 * practising in 0–3 lessons, about 29 attempts a user as in the real export.
 */
export function* attemptEntries(input: UsersInput, counts: UsersCounts): Generator<readonly [string, unknown]> {
  const { random, tally } = input;
  const rates = edgeRates.users;
  const sample = Object.fromEntries(Object.entries(rates).map(([name, rate]) => [name, createSampler(rate, random)])) as Record<
    keyof typeof rates,
    () => boolean
  >;
  const edge = (name: keyof typeof rates): boolean => {
    const hit = sample[name]();
    if (hit) countEdge(tally, `users.${name}`);
    return hit;
  };
  const usedUids = new Set<string>();
  let clock = 0;

  const timestamps = (): Record<string, unknown> => {
    clock += random.int(20_000, 600_000);
    if (edge('updatedBeforeCreated')) {
      // The real slip: updatedAt written an hour early, in +00:00 form, about a second after createdAt.
      const updated = clock - 3_600_000 + random.int(400, 1_100);
      return { createdAt: formatTimestamp(clock, 'isoMicrosZ'), updatedAt: formatTimestamp(updated, 'isoMicrosOffset') };
    }
    const createdAt = edge('epochMillis')
      ? formatTimestamp(clock, 'epochMillis')
      : edge('garbageTimestamp')
        ? random.pick(GARBAGE_TIMESTAMPS)
        : formatTimestamp(clock, random.weighted(CREATED_AT_FORMS));
    if (edge('updatedAfterCreated')) return { createdAt, updatedAt: formatTimestamp(clock + random.int(1_000, 3_600_000), 'isoMicrosOffset') };
    return { createdAt };
  };

  const textbox = (): TextBox => {
    const coordinate = (): number => (random.chance(0.5) ? random.int(40, 420) : random.int(40 * 32, 420 * 32) / 32);
    return { text: random.pick(STUDENT_ANSWERS), isMath: false, color: '#000000', fontSize: 16, x: coordinate(), y: coordinate() };
  };

  const canvas = (): { maths: never[]; paths: never[]; textboxes: TextBox[] } => {
    const boxes = random.weighted([[0, 236], [1, 720], [2, 59], [3, 17], [4, 15]] as const);
    const textboxes = Array.from({ length: boxes }, textbox);
    const odd = edge('nulInAnswer') ? 'nul' : edge('emojiInAnswer') ? 'emoji' : undefined;
    if (odd !== undefined) {
      const box = textboxes[0] ?? textbox();
      box.text = odd === 'nul' ? withNul(box.text, random) : withEmoji(box.text, random);
      if (textboxes.length === 0) textboxes.push(box);
    }
    return { maths: [], paths: [], textboxes };
  };

  const body = (part: PartRef, questionID: string, siblings: readonly PartRef[]): unknown => {
    if (edge('invalidBody')) return random.pick([null, 'corrupted', [], 42]);
    const { createdAt, updatedAt } = timestamps();
    const record: Record<string, unknown> = { createdAt };
    if (!edge('missingBodyQuestionId')) {
      const other = siblings.find((sibling) => sibling.questionID !== part.questionID);
      record.questionID = other !== undefined && edge('mismatchedBodyQuestionId') ? other.questionID : questionID;
    }
    record.canvas = canvas();
    if (updatedAt !== undefined) record.updatedAt = updatedAt;
    const answer = part.options === undefined ? random.pick(STUDENT_ANSWERS) : random.pick(part.options);
    const marked = random.chance(0.082);
    if (marked) {
      const mark = random.int(0, part.markmax);
      const annotated = part.options === undefined ? answer : random.pick(part.options);
      record.userMark = mark;
      record.annotatedAnswer = annotated;
      record.userAnswer = answer;
      record.markingTable = `| Mark Scheme Point | Student Response | Mark Awarded |\n|:-|:-|:-|\n |${annotated}|${answer}|${mark}|`;
    } else if (random.chance(0.03)) {
      record.userAnswer = answer;
    }
    record.isMarked = marked;
    if (part.options !== undefined) record.options = [...part.options];
    return record;
  };

  const path = (uid: string, container: string, questionID: string): string => {
    if (edge('unparseableKey')) return `users/${uid}/subjectsWeb/${SUBJECT_ID}/flashcards/${questionID}`;
    return `users/${uid}/subjectsWeb/${SUBJECT_ID}/${container}/${questionID}`;
  };

  /** `count` of `parts`, in paper order: students mostly work down a paper. */
  const choose = (parts: readonly PartRef[], count: number): PartRef[] => {
    const start = random.int(0, parts.length - count);
    return parts.slice(start, start + count);
  };

  const userCount = Math.max(1, Math.round(36 * input.scale));
  for (let user = 0; user < userCount; user++) {
    let uid = random.alnum(28);
    while (usedUids.has(uid)) uid = random.alnum(28);
    usedUids.add(uid);
    counts.users++;
    clock = FIRST_DAY + random.int(0, 300) * DAY_MS + random.int(7, 22) * 3_600_000 + random.int(0, 3_599_999);

    const sessions: Session[] = [];
    if (input.papers.length > 0 && random.chance(0.78)) {
      const paper = random.pick(input.papers);
      const take = random.chance(0.8) ? paper.parts.length : random.int(1, paper.parts.length);
      const paperNumber = paper.paperId.match(/(\d)(?:Higher|Foundation)$/)?.[1] ?? '1';
      sessions.push({
        kind: 'mock',
        container: `mocks/${paper.paperId}/questions`,
        parts: choose(paper.parts, take),
        all: paper.parts,
        unknownPrefix: `${SUBJECT_ID}_${paperNumber}_${random.int(10, 20)}_1`,
      });
    }
    // A user exists only through attempts: someone who skipped the mock practised at least once.
    const fewest = sessions.length === 0 ? 1 : 0;
    const usual = random.weighted([[0, 25], [1, 35], [2, 25], [3, 15]] as const);
    const practiceSessions = input.practiceTargets.length === 0 ? 0 : Math.max(fewest, usual);
    for (let session = 0; session < practiceSessions; session++) {
      const target = random.pick(input.practiceTargets);
      const take = random.int(1, Math.min(10, target.parts.length));
      sessions.push({
        kind: 'practice',
        container: `lessons/${target.lessonID}/practice`,
        parts: choose(target.parts, take),
        all: target.parts,
        unknownPrefix: `${target.lessonID}_${random.int(20, 30)}_1`,
      });
    }

    const keys = new Set<string>();
    for (const session of sessions) {
      clock += random.int(1, 6) * DAY_MS;
      for (const part of session.parts) {
        const questionID = edge('unknownQuestionId') ? `${session.unknownPrefix}_${random.alnum(10)}` : part.questionID;
        const key = path(uid, session.container, questionID);
        if (keys.has(key)) continue;
        keys.add(key);
        counts.attempts++;
        if (session.kind === 'mock') counts.mockAttempts++;
        else counts.practiceAttempts++;
        yield [key, body(part, questionID, session.all)];
      }
    }
  }
}
