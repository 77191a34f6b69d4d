/**
 * A small Dockerfile reader, so the images can be checked without a Docker
 * engine: parser directives, comments, line continuations, `--name=value`
 * options, stages, exec (JSON) form and ENV/ARG pairs. Heredocs are refused
 * rather than misread.
 */

export interface Instruction {
  /** Upper-case keyword: RUN, COPY, … */
  keyword: string;
  /** The leading `--name=value` options of FROM, RUN, COPY, ADD and HEALTHCHECK. */
  options: { name: string; value: string }[];
  /** Everything after the keyword and its options. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  /** The FROM image, or the name of an earlier stage. */
  image: string;
  name: string | undefined;
  line: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  directives: Record<string, string>;
  /** ARGs before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
}

const KEYWORDS_WITH_OPTIONS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const directives: Record<string, string> = {};
  let index = 0;
  for (; index < lines.length; index++) {
    const match = DIRECTIVE.exec(lines[index] ?? '');
    if (!match?.[1] || !match[2]) break;
    directives[match[1].toLowerCase()] = match[2];
  }
  const escape = directives.escape ?? '\\';

  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const { text: logical, line } of logicalLines(lines, index, escape)) {
    const instruction = parseInstruction(logical, line);
    if (instruction.keyword === 'FROM') {
      const [image, as, name, ...rest] = instruction.args.split(/\s+/);
      if (!image || (as !== undefined && (as.toUpperCase() !== 'AS' || !name)) || rest.length > 0) {
        throw new Error(`line ${line}: cannot read FROM ${instruction.args}`);
      }
      stages.push({ image, name, line, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)?.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      globalArgs.push(instruction);
    } else {
      throw new Error(`line ${line}: ${instruction.keyword} before the first FROM`);
    }
  }
  return { directives, globalArgs, stages };
}

/** Joins continued lines and drops comments and blank lines. */
function* logicalLines(lines: string[], start: number, escape: string): Generator<{ text: string; line: number }> {
  let pending: { text: string; line: number } | undefined;
  for (let index = start; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const trimmed = raw.trim();
    // Docker drops comment lines and blank lines, also inside a continued instruction.
    if (trimmed.startsWith('#') || trimmed === '') continue;
    const continues = raw.trimEnd().endsWith(escape);
    const body = continues ? raw.trimEnd().slice(0, -1) : raw;
    pending = pending ? { text: `${pending.text}${body}`, line: pending.line } : { text: body, line: index + 1 };
    if (!continues) {
      yield { text: pending.text.trim(), line: pending.line };
      pending = undefined;
    }
  }
  if (pending) throw new Error(`line ${pending.line}: the file ends inside a continued instruction`);
}

function parseInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  if (!match?.[1]) throw new Error(`line ${line}: cannot read instruction`);
  const keyword = match[1].toUpperCase();
  let args = match[2] ?? '';
  if (/<<-?\s*["']?[A-Za-z_]\w*["']?/.test(args) && (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD')) {
    throw new Error(`line ${line}: heredocs are not supported by this reader`);
  }
  const options: Instruction['options'] = [];
  if (KEYWORDS_WITH_OPTIONS.has(keyword)) {
    for (let option = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args); option; option = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args)) {
      options.push({ name: option[1] ?? '', value: option[2] ?? 'true' });
      args = args.slice(option[0].length);
    }
  }
  return { keyword, options, args: args.trim(), line };
}

/** The JSON (exec) form of CMD, ENTRYPOINT, RUN or HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`not a JSON array of strings: ${args}`);
  }
  return parsed;
}

/** The pairs of an ENV or ARG instruction; an ARG without a default has value undefined. */
export function keyValues(instruction: Instruction): { key: string; value: string | undefined }[] {
  const words = shellWords(instruction.args);
  const [first, ...rest] = words;
  if (first === undefined) return [];
  // Legacy `ENV KEY value with spaces`.
  if (instruction.keyword === 'ENV' && !first.includes('=')) return [{ key: first, value: rest.join(' ') }];
  return words.map((word) => {
    const equals = word.indexOf('=');
    return equals === -1 ? { key: word, value: undefined } : { key: word.slice(0, equals), value: word.slice(equals + 1) };
  });
}

/** Splits on unquoted whitespace, removing quotes and backslash escapes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < text.length) word = (word ?? '') + text.charAt(++index);
      else word = (word ?? '') + char;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (char === '\\' && index + 1 < text.length) {
      word = (word ?? '') + text.charAt(++index);
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${text}`);
  if (word !== undefined) words.push(word);
  return words;
}
