/**
 * Finds where JSON values begin and end in a file read in large blocks,
 * without parsing them: the byte scan that lets readJsonRecords hand each
 * record's bytes to the native `JSON.parse` whole. It knows only what
 * delimits a value (strings with their escapes, bracket depth, the bytes that
 * end a number or literal); what is inside is checked by `JSON.parse`, and
 * any structure it does not expect fails with a StructureError (the caller
 * then asks a full JSON verifier where the text went wrong).
 *
 * Blocks are fresh buffers, never reused, so a value within one block is a
 * view of it and only a value spanning blocks is copied.
 */
import type { FileHandle } from 'node:fs/promises';

const BLOCK_BYTES = 1024 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x7b, 0x5b]); // { [
const CLOSERS = new Set([0x7d, 0x5d]); // } ]
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

export class StructureError extends Error {}

export class JsonByteReader {
  private block: Buffer = Buffer.alloc(0);
  private position = 0;
  private ended = false;
  private readonly file: FileHandle;
  private readonly onBytes: ((bytes: number) => void) | undefined;

  constructor(file: FileHandle, onBytes?: (bytes: number) => void) {
    this.file = file;
    this.onBytes = onBytes;
  }

  /** Skips a UTF-8 byte-order mark at the very start, if there is one. */
  async skipByteOrderMark(): Promise<void> {
    if (!(await this.fill())) return;
    if (this.block.length >= 3 && BYTE_ORDER_MARK.every((byte, index) => this.block[index] === byte)) this.position = 3;
  }

  /** The next byte that is not whitespace, left unread; -1 at the end of the file. */
  async peek(): Promise<number> {
    for (;;) {
      while (this.position < this.block.length) {
        const byte = this.block[this.position] ?? 0;
        if (!WHITESPACE.has(byte)) return byte;
        this.position += 1;
      }
      if (!(await this.fill())) return -1;
    }
  }

  /** Reads the next non-whitespace byte, which must be one of `expected` (characters). */
  async expect(expected: string, what: string): Promise<number> {
    const byte = await this.peek();
    if (byte === -1 || !expected.includes(String.fromCharCode(byte))) {
      throw new StructureError(`expected ${what}, found ${byte === -1 ? 'the end of the file' : JSON.stringify(String.fromCharCode(byte))}`);
    }
    this.position += 1;
    return byte;
  }

  /** The bytes of the next value (object, array, string, number or literal), its first byte already peeked. */
  async value(): Promise<Buffer> {
    const first = await this.peek();
    if (first === -1) throw new StructureError('expected a value, found the end of the file');
    const parts: Buffer[] = [];
    let start = this.position;
    let depth = 0;
    let inString = false;
    let escaped = false;
    const scalar = first !== QUOTE && !OPENERS.has(first);
    for (;;) {
      const block = this.block;
      let index = this.position;
      let done = false;
      for (; index < block.length; index += 1) {
        const byte = block[index] ?? 0;
        if (scalar) {
          if (WHITESPACE.has(byte) || byte === 0x2c || CLOSERS.has(byte)) {
            done = true;
            break;
          }
        } else if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) {
            inString = false;
            if (depth === 0) {
              index += 1;
              done = true;
              break;
            }
          }
        } else if (byte === QUOTE) inString = true;
        else if (OPENERS.has(byte)) depth += 1;
        else if (CLOSERS.has(byte)) {
          depth -= 1;
          if (depth === 0) {
            index += 1;
            done = true;
            break;
          }
        }
      }
      parts.push(block.subarray(start, index));
      this.position = index;
      if (done) break;
      if (!(await this.fill())) {
        if (scalar) break;
        throw new StructureError('the file ends inside a value');
      }
      start = 0;
    }
    const [only] = parts;
    return parts.length === 1 && only ? only : Buffer.concat(parts);
  }

  /** Reads the next block; false at the end of the file. */
  private async fill(): Promise<boolean> {
    if (this.position < this.block.length) return true;
    if (this.ended) return false;
    const { bytesRead, buffer } = await this.file.read(Buffer.allocUnsafe(BLOCK_BYTES), 0, BLOCK_BYTES, null);
    if (bytesRead === 0) {
      this.ended = true;
      return false;
    }
    this.onBytes?.(bytesRead);
    this.block = buffer.subarray(0, bytesRead);
    this.position = 0;
    return true;
  }
}
