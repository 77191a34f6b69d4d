/**
 * Reading one process from /proc: its peak resident set (VmHWM, which the
 * kernel keeps per process), its CPU seconds and parent, its children, and a
 * short name for it. Pure parsing; processPeaks.ts does the reading.
 */

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat (and of /proc/stat). */
export const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (field 2, which may hold spaces and parentheses), from field 3 on. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds (utime + stime) of /proc/<pid>/stat; NaN when it is empty (the process is gone). */
export function parseCpuSeconds(stat: string): number {
  const fields = statFields(stat);
  return stat === '' ? Number.NaN : (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The parent pid (field 4) of /proc/<pid>/stat; NaN when it is empty. */
export function parseParentPid(stat: string): number {
  return stat === '' ? Number.NaN : Number(statFields(stat)[1]);
}

/** VmHWM of /proc/<pid>/status in bytes; NaN when absent (a zombie has none). */
export function parseHighWaterBytes(status: string): number {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}

/** The pids in /proc/<pid>/task/<tid>/children ("12 34 "). */
export function parseChildren(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** The product's processes by their entry file; anything else by its program. */
const KNOWN_SCRIPTS: readonly [string, string][] = [
  ['importer/src/main.ts', 'importer'],
  ['projector/src/replay.ts', 'replay'],
  ['projector/src/main.ts', 'projector'],
  ['producers/src/main.ts', 'producer'],
  ['api/src/main.ts', 'api'],
];

/** A short name for a process from its NUL-separated /proc/<pid>/cmdline. */
export function processLabel(cmdline: string): string {
  const argv = cmdline.split('\0').filter((arg) => arg !== '');
  const program = (argv[0] ?? '').split('/').at(-1) ?? '';
  // Only node's own arguments: a shell's `-c "node … importer/src/main.ts …"` is the shell.
  const script = program === 'node' ? argv.slice(1).find((arg) => !arg.startsWith('-')) : undefined;
  if (script === undefined) return program || '?';
  return KNOWN_SCRIPTS.find(([entry]) => script.endsWith(entry))?.[1] ?? script.split('/').at(-1) ?? program;
}

export interface ProcessPeak {
  label: string;
  pid: number;
  peakRssBytes: number;
}

/** The largest peak per label (a label seen in several processes keeps its largest), largest first. */
export function peaksByLabel(peaks: readonly ProcessPeak[]): ProcessPeak[] {
  const largest = new Map<string, ProcessPeak>();
  for (const peak of peaks) {
    const seen = largest.get(peak.label);
    if (!seen || peak.peakRssBytes > seen.peakRssBytes) largest.set(peak.label, peak);
  }
  return [...largest.values()].sort((a, b) => b.peakRssBytes - a.peakRssBytes);
}
