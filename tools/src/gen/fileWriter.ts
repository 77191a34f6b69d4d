import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

export interface FileWriter {
  /** Queues text; every ~1 MiB it goes to the stream, and the call waits for 'drain' when the stream asks to. */
  write(text: string): Promise<void>;
  /** Flushes, closes the file and returns the bytes written. */
  close(): Promise<number>;
}

const CHUNK_CHARS = 1 << 16;

/** A write stream with backpressure, so a 350 MB file never sits in memory. */
export function createFileWriter(path: string): FileWriter {
  const stream = createWriteStream(path);
  let pending: string[] = [];
  let pendingChars = 0;
  let bytes = 0;

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingChars = 0;
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await once(stream, 'drain');
  };

  return {
    write: async (text) => {
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= CHUNK_CHARS) await flush();
    },
    close: async () => {
      await flush();
      stream.end();
      await finished(stream);
      return bytes;
    },
  };
}
