/**
 * Where a run's CPU time went, by party: pure parsing of /proc/stat and
 * /proc/net/tcp, naming Postgres's background processes by their title,
 * attributing each sampled process to a party and summing. cpuSampler.ts
 * does the reading.
 */
import { TICKS_PER_SECOND } from './processTree.ts';

/** User + system CPU seconds of each party over one run, beside its wall time and the machine's idle share. */
export interface CpuBreakdown {
  wallSeconds: number;
  /** By party: importer, replay, bench, projector, launcher (pnpm, sh, time), broker, postgres (the database's backends), and each Postgres background process by its title. */
  seconds: Record<string, number>;
  totalSeconds: number;
  /** totalSeconds ÷ wallSeconds: the average number of cores the run kept busy. */
  coresBusy: number;
  /** Share of every core's time spent idle (idle + iowait) over the run, from /proc/stat. */
  machineIdle: number;
  /** CPU seconds the whole machine was busy over the run: the parties' and anyone else's. */
  machineBusySeconds: number;
}

/** One process seen by the sampler: its CPU seconds when first and last read. */
export interface SampledCpu {
  pid: number;
  label: string;
  /** The reading a run's share is counted from: 0 for a process that started during the run. */
  baselineSeconds: number;
  lastSeconds: number;
}

export interface MachineTicks {
  idle: number;
  total: number;
}

/** The aggregate `cpu ` line of /proc/stat: idle (idle + iowait) and all ticks. */
export function parseMachineTicks(procStat: string): MachineTicks {
  const line = procStat.split('\n').find((entry) => entry.startsWith('cpu '));
  // user nice system idle iowait irq softirq steal; guest and guest_nice are already inside user and nice.
  const ticks = (line ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 8 || ticks.some((tick) => !Number.isFinite(tick))) throw new Error(`unexpected /proc/stat: ${line ?? '(no cpu line)'}`);
  return { idle: (ticks[3] ?? 0) + (ticks[4] ?? 0), total: ticks.reduce((sum, tick) => sum + tick, 0) };
}

/** The socket inodes listening on a TCP port, from /proc/net/tcp or /proc/net/tcp6. */
export function parseListeningInodes(netTcp: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return netTcp
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
    .map((fields) => fields[9] ?? '')
    .filter((inode) => inode !== '' && inode !== '0');
}

/** The ones that work for every database's writes; the autovacuum workers serving the run's database are among its backends. */
const POSTGRES_BACKGROUND = ['checkpointer', 'background writer', 'walwriter', 'autovacuum launcher', 'archiver'];

/** The role of a postmaster's child from its title ("postgres: 15/main: walwriter"), or undefined for a backend or worker. */
export function postgresBackgroundRole(cmdline: string): string | undefined {
  const title = cmdline.replaceAll('\0', ' ').trim();
  return POSTGRES_BACKGROUND.find((role) => title === role || title.endsWith(`: ${role}`));
}

/** Processes that only start others: pnpm, its shell, /usr/bin/time. */
const LAUNCHERS = new Set(['pnpm', 'pnpm.cjs', 'sh', 'bash', 'time', 'node']);

/** The party a sampled process's CPU is counted to. */
export function partyOf(label: string): string {
  return LAUNCHERS.has(label) ? 'launcher' : label;
}

/** Sums the processes' CPU seconds by party, and prices the total against the wall time and the machine. */
export function cpuBreakdown(processes: readonly SampledCpu[], wallSeconds: number, before: MachineTicks, after: MachineTicks): CpuBreakdown {
  const seconds: Record<string, number> = {};
  for (const process of processes) {
    const party = partyOf(process.label);
    seconds[party] = (seconds[party] ?? 0) + Math.max(0, process.lastSeconds - process.baselineSeconds);
  }
  // To the tick: the readings have no finer grain, and results.json stays readable.
  const toTick = (value: number) => Math.round(value * TICKS_PER_SECOND) / TICKS_PER_SECOND;
  for (const party of Object.keys(seconds)) seconds[party] = toTick(seconds[party] ?? 0);
  const totalSeconds = toTick(Object.values(seconds).reduce((sum, value) => sum + value, 0));
  const ticks = after.total - before.total;
  return {
    wallSeconds,
    seconds,
    totalSeconds,
    coresBusy: wallSeconds > 0 ? totalSeconds / wallSeconds : Number.NaN,
    machineIdle: ticks > 0 ? (after.idle - before.idle) / ticks : Number.NaN,
    machineBusySeconds: toTick((ticks - (after.idle - before.idle)) / TICKS_PER_SECOND),
  };
}
