/**
 * One export file, record by record, through its source's pure mapping. Each
 * yielded MappedRecord is what one raw record became; curriculum files also
 * carry the running part ordinal (`position`) from one record to the next.
 * A record nested deeper than MAX_NESTING_DEPTH is refused whole before mapping.
 */
import type { SourceName } from '@medly/shared/reasons';
import type { SourceFile } from './discover.ts';
import { childPointer } from './jsonPointer.ts';
import { cutNesting, MAX_NESTING_DEPTH, nestsDeeperThan } from './normalize/nesting.ts';
import { storableString } from './normalize/storableText.ts';
import { readJsonRecords, SourceFileError } from './readJsonRecords.ts';
import { mapCourseUnit } from './sources/course.ts';
import { mapPaperSet } from './sources/exams.ts';
import { mapPracticeBank } from './sources/practices.ts';
import { partSlotsOf } from './sources/questions.ts';
import { createRecorder, isObject, type MappedRecord } from './sources/recorder.ts';
import { mapAttempt } from './sources/users.ts';

export interface MapOptions {
  /** Bytes of the file read so far, as the parser advances. */
  onBytes: (bytes: number) => void;
  /** When the import started (epoch ms): times later than a day after it are implausible. */
  importStartedAt: number;
}

export async function* mapSourceFile(source: SourceFile, { onBytes, importStartedAt }: MapOptions): AsyncGenerator<MappedRecord> {
  const options = { displayName: source.file, onBytes };
  if (source.source === 'users') {
    const context = { file: source.file, importStartedAt };
    for await (const { key, value } of readJsonRecords(source.path, 'targets', options)) {
      yield nestsDeeperThan(value, MAX_NESTING_DEPTH)
        ? refuseTooDeep(source, childPointer('/targets', storableString(key)), value)
        : mapAttempt(key, value, context);
    }
    return;
  }
  const subjectId = source.subjectId;
  if (subjectId === null) throw new SourceFileError(source.file, `${source.file}: a curriculum file needs a subject in its name`);
  let position = 0;
  for await (const { key, value } of readJsonRecords(source.path, 'array', options)) {
    const context = { file: source.file, subjectId, firstPosition: position };
    const mapped = nestsDeeperThan(value, MAX_NESTING_DEPTH)
      ? refuseTooDeep(source, childPointer('', key), value)
      : source.source === 'course'
        ? mapCourseUnit(value, key, context)
        : source.source === 'practices'
          ? mapPracticeBank(value, key, context)
          : mapPaperSet(value, key, context);
    position += mapped.read;
    yield mapped;
  }
}

/** An `invalid_record` rejection of a whole record that nests too deeply; it still counts what it held. */
function refuseTooDeep(source: SourceFile, pointer: string, value: unknown): MappedRecord {
  const recorder = createRecorder(source.source, source.file);
  recorder.reject('invalid_record', pointer, `record nests deeper than ${MAX_NESTING_DEPTH} levels`, cutNesting(value, 8));
  return recorder.done(finestRecordsIn(source.source, value));
}

/** The finest records a raw record holds, counted as its source's mapping counts them (a shallow walk). */
function finestRecordsIn(source: SourceName, value: unknown): number {
  const list = (node: unknown, field: string): unknown[] => (isObject(node) && Array.isArray(node[field]) ? node[field] : []);
  const parts = (questions: unknown[]) => questions.reduce((sum: number, question) => sum + partSlotsOf(question), 0);
  switch (source) {
    case 'users':
      return 1;
    case 'course':
      return list(value, 'topics').reduce((sum: number, topic) => sum + list(topic, 'lessons').length, 0);
    case 'practices':
      return parts(list(value, 'items'));
    case 'exams':
      return list(value, 'papers').reduce((sum: number, paper) => sum + parts(list(paper, 'questions')), 0);
  }
}
