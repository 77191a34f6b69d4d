/**
 * Reads Prometheus' text exposition format (what a scrape of /metrics
 * returns), as Prometheus itself would: `# TYPE` lines, then one sample per
 * line, `name{label="value",…} number`, label values with `\\`, `\"` and
 * `\n` escaped. Enough for tests to ask for one series.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the one series with this name and these labels (others may exist); undefined if none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every series of a name whose labels include these. */
  series(name: string, labels?: Record<string, string>): Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

export function parsePrometheusText(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name, type] = line.split(/\s+/);
      if (keyword === 'TYPE' && name && type) types.set(name, type);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const [, name = '', labelText = '', value = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of labelText.matchAll(LABEL)) labels[key] = unescape(raw);
    samples.push({ name, labels, value: parseValue(value) });
  }
  const includes = (sample: Sample, labels: Record<string, string>) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value);
  const series = (name: string, labels: Record<string, string> = {}) => samples.filter((sample) => sample.name === name && includes(sample, labels));
  return {
    types,
    samples,
    series,
    value: (name, labels = {}) => series(name, labels).find((sample) => Object.keys(sample.labels).length === Object.keys(labels).length)?.value,
  };
}
