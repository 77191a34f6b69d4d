/**
 * One export file, record by record, through its source's pure mapping. Each
 * yielded MappedRecord is what one raw record became; curriculum files also
 * carry the running part ordinal (`position`) from one record to the next.
 */
import type { SourceFile } from './discover.ts';
import { readJsonRecords, SourceFileError } from './readJsonRecords.ts';
import { mapCourseUnit } from './sources/course.ts';
import { mapPaperSet } from './sources/exams.ts';
import { mapPracticeBank } from './sources/practices.ts';
import type { MappedRecord } from './sources/recorder.ts';
import { mapAttempt } from './sources/users.ts';

export async function* mapSourceFile(source: SourceFile, onBytes: (bytes: number) => void): AsyncGenerator<MappedRecord> {
  const options = { displayName: source.file, onBytes };
  if (source.source === 'users') {
    for await (const { key, value } of readJsonRecords(source.path, 'targets', options)) {
      yield mapAttempt(key, value, source.file);
    }
    return;
  }
  const subjectId = source.subjectId;
  if (subjectId === null) throw new SourceFileError(source.file, `${source.file}: a curriculum file needs a subject in its name`);
  let position = 0;
  for await (const { key, value } of readJsonRecords(source.path, 'array', options)) {
    const context = { file: source.file, subjectId, firstPosition: position };
    const mapped =
      source.source === 'course'
        ? mapCourseUnit(value, key, context)
        : source.source === 'practices'
          ? mapPracticeBank(value, key, context)
          : mapPaperSet(value, key, context);
    position += mapped.read;
    yield mapped;
  }
}
