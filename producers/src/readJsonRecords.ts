/**
 * Streams the records of one export file without ever holding the file:
 * stream-json tokenizes it and assembles one record at a time, so memory
 * follows the largest record, not the file.
 *
 *   'targets'  the user export `{ "targets": { "<path>": attempt, … } }`: each
 *              entry of the targets object, key by key (pick + streamObject);
 *   'array'    a curriculum file `[ record, … ]`: each element (streamArray).
 *
 * A file that cannot be read or is not valid JSON ends the stream with a
 * SourceFileError naming the file and, for bad JSON, the line, column and
 * character offset (found by stream-json's verifier on a second pass, only
 * when the parser has failed).
 */
import { createReadStream } from 'node:fs';
import { AppError } from '@medly/shared/errors';
import { chainUnchecked } from 'stream-chain';
import { parser } from 'stream-json';
import { verifyFile } from 'stream-json/file/verifier.js';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamObject } from 'stream-json/streamers/stream-object.js';

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
  /** Called with the size of every chunk read, for progress. */
  onBytes?: (bytes: number) => void;
}

export function readJsonRecords(path: string, shape: 'targets', options: ReadOptions): AsyncGenerator<RawRecord<string>>;
export function readJsonRecords(path: string, shape: 'array', options: ReadOptions): AsyncGenerator<RawRecord<number>>;
export async function* readJsonRecords(path: string, shape: RecordShape, options: ReadOptions): AsyncGenerator<RawRecord> {
  const { displayName, onBytes } = options;
  const seen = { targets: false };
  const stages =
    shape === 'targets'
      ? [
          pick({ filter: 'targets' }),
          (token: unknown) => {
            seen.targets = true;
            return token;
          },
          streamObject(),
        ]
      : [streamArray()];
  const pipeline = chainUnchecked<Buffer, RawRecord>([
    createReadStream(path),
    (chunk: Buffer) => {
      onBytes?.(chunk.length);
      return chunk;
    },
    parser(),
    ...stages,
  ]);
  const records = pipeline[Symbol.asyncIterator]() as AsyncIterator<RawRecord>;
  try {
    for (;;) {
      let step: IteratorResult<RawRecord>;
      try {
        step = await records.next();
      } catch (error) {
        throw await describeFailure(path, displayName, error);
      }
      if (step.done) break;
      yield step.value;
    }
  } finally {
    pipeline.destroy();
  }
  if (shape === 'targets' && !seen.targets) {
    throw new SourceFileError(displayName, `${displayName}: no "targets" object at the top level`);
  }
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
