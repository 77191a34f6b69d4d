/**
 * Streams the records of one export file without ever holding the file:
 * jsonByteReader.ts finds each record's bytes in 1 MiB blocks, and the
 * native `JSON.parse` parses that record alone, so memory follows the
 * largest record, not the file (and a record costs one native parse, not a
 * token object per value as a streaming tokenizer would).
 *
 *   'targets'  the user export `{ "targets": { "<path>": attempt, … } }`: each
 *              entry of the targets object, key by key, in file order (a key
 *              written twice is read twice); other top-level members are
 *              parsed (so the whole file is checked) and dropped;
 *   'array'    a curriculum file `[ record, … ]`: each element with its index.
 *
 * Bytes that are not UTF-8 become U+FFFD, as any UTF-8 decoder makes them. A
 * file that cannot be read or is not valid JSON ends the stream with a
 * SourceFileError naming the file and, for bad JSON, the line, column and
 * character offset (found by stream-json's verifier on a second pass, only
 * when reading has failed).
 */
import { open } from 'node:fs/promises';
import { AppError } from '@medly/shared/errors';
import { verifyFile } from 'stream-json/file/verifier.js';
import { JsonByteReader, StructureError } from './jsonByteReader.ts';

export type RecordShape = 'targets' | 'array';

export interface RawRecord<Key extends string | number = string | number> {
  key: Key;
  value: unknown;
}

export class SourceFileError extends AppError {
  readonly file: string;

  constructor(file: string, message: string, options: { cause?: unknown } = {}) {
    super('source_file_unusable', message, { cause: options.cause });
    this.name = 'SourceFileError';
    this.file = file;
  }
}

export interface ReadOptions {
  /** The name used in messages (relative to the data folder). */
  displayName: string;
  /** Called with the size of every block read, for progress. */
  onBytes?: (bytes: number) => void;
}

export function readJsonRecords(path: string, shape: 'targets', options: ReadOptions): AsyncGenerator<RawRecord<string>>;
export function readJsonRecords(path: string, shape: 'array', options: ReadOptions): AsyncGenerator<RawRecord<number>>;
export async function* readJsonRecords(path: string, shape: RecordShape, options: ReadOptions): AsyncGenerator<RawRecord> {
  const { displayName, onBytes } = options;
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw await describeFailure(path, displayName, error);
  }
  try {
    const reader = new JsonByteReader(file, onBytes);
    const records = shape === 'targets' ? targetsOf(reader, displayName) : elementsOf(reader);
    for (;;) {
      let step: IteratorResult<RawRecord>;
      try {
        step = await records.next();
      } catch (error) {
        throw error instanceof SourceFileError ? error : await describeFailure(path, displayName, error);
      }
      if (step.done) break;
      yield step.value;
    }
  } finally {
    await file.close();
  }
}

const parsed = (bytes: Buffer): unknown => JSON.parse(bytes.toString('utf8'));

async function* elementsOf(reader: JsonByteReader): AsyncGenerator<RawRecord<number>> {
  await reader.skipByteOrderMark();
  await topLevel(reader, '[', 'an array');
  let key = 0;
  if ((await reader.peek()) === 0x5d) await reader.expect(']', 'the end of the array');
  else {
    do yield { key: key++, value: parsed(await reader.value()) };
    while ((await reader.expect(',]', '"," or "]" after an element')) === 0x2c);
  }
  await expectEnd(reader);
}

async function* targetsOf(reader: JsonByteReader, displayName: string): AsyncGenerator<RawRecord<string>> {
  await reader.skipByteOrderMark();
  const noTargets = () => new SourceFileError(displayName, `${displayName}: no "targets" object at the top level`);
  const first = await reader.peek();
  if (first !== -1 && first !== 0x7b) throw noTargets();
  await topLevel(reader, '{', 'an object');
  let seenTargets = false;
  for await (const name of membersOf(reader)) {
    if (name !== 'targets') {
      parsed(await reader.value());
      continue;
    }
    seenTargets = true;
    if ((await reader.peek()) !== 0x7b) throw new StructureError('"targets" is not an object');
    await reader.expect('{', 'an object');
    for await (const key of membersOf(reader)) yield { key, value: parsed(await reader.value()) };
  }
  await expectEnd(reader);
  if (!seenTargets) throw noTargets();
}

/** The names of an object's members, its "{" already read; the caller reads each value before asking for the next name. */
async function* membersOf(reader: JsonByteReader): AsyncGenerator<string> {
  if ((await reader.peek()) === 0x7d) {
    await reader.expect('}', 'the end of the object');
    return;
  }
  do {
    if ((await reader.peek()) !== 0x22) throw new StructureError('expected a member name');
    const name = parsed(await reader.value()) as string;
    await reader.expect(':', '":" after a member name');
    yield name;
  } while ((await reader.expect(',}', '"," or "}" after a member')) === 0x2c);
}

async function topLevel(reader: JsonByteReader, opener: '[' | '{', what: string): Promise<void> {
  const first = await reader.peek();
  if (first !== opener.charCodeAt(0)) throw new StructureError(`the top-level value should be ${what}${first === -1 ? '' : `, not one starting with ${JSON.stringify(String.fromCharCode(first))}`}`);
  await reader.expect(opener, what);
}

async function expectEnd(reader: JsonByteReader): Promise<void> {
  if ((await reader.peek()) !== -1) throw new StructureError('unexpected text after the top-level value');
}

async function describeFailure(path: string, displayName: string, error: unknown): Promise<SourceFileError> {
  const systemCode = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (typeof systemCode === 'string') {
    return new SourceFileError(displayName, `${displayName}: cannot be read (${systemCode}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  try {
    await verifyFile(path);
  } catch (verifierError) {
    const { line, pos, offset } = verifierError as { line?: number; pos?: number; offset?: number };
    if (typeof line === 'number') {
      return new SourceFileError(
        displayName,
        `${displayName}: invalid JSON at line ${line}, column ${pos ?? '?'} (character ${offset ?? '?'}): ${reason}`,
        { cause: error },
      );
    }
  }
  // Valid JSON of the wrong shape (e.g. an object where an array belongs).
  return new SourceFileError(displayName, `${displayName}: unexpected structure: ${reason}`, { cause: error });
}
