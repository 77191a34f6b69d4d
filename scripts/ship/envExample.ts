/**
 * Reads .env.example: `KEY=value` lines (set), `# KEY=value` lines (listed but
 * left unset, for variables without a default), and whether each is explained
 * by the comment right above it.
 */
export interface EnvExampleEntry {
  key: string;
  value: string;
  /** False for a `# KEY=value` line. */
  active: boolean;
  /** The line right above is a comment of prose (not another variable). */
  explained: boolean;
  line: number;
}

const ACTIVE = /^([A-Z][A-Z0-9_]*)=(.*)$/;
const LISTED = /^#\s*([A-Z][A-Z0-9_]*)=(.*)$/;

export function parseEnvExample(text: string): EnvExampleEntry[] {
  const entries: EnvExampleEntry[] = [];
  let previous: 'prose' | 'variable' | 'blank' = 'blank';
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const match = ACTIVE.exec(line) ?? LISTED.exec(line);
    if (match?.[1] !== undefined) {
      entries.push({ key: match[1], value: match[2] ?? '', active: !line.startsWith('#'), explained: previous === 'prose', line: index + 1 });
      previous = 'variable';
    } else if (line.startsWith('#')) {
      previous = 'prose';
    } else if (line === '') {
      previous = 'blank';
    } else {
      throw new Error(`.env.example line ${index + 1}: not a comment, a blank or KEY=value: ${line}`);
    }
  }
  return entries;
}
