/**
 * CPU seconds of every party of one run (issue 16: what holds the import back
 * on a 2-core machine): the processes the bench starts (processPeaks.ts walks
 * them), the Kafka broker (the process listening on the first broker's port),
 * the Postgres backends serving the run's database (from pg_stat_activity at
 * every sample; a backend that exits keeps its last reading) and Postgres's
 * background processes (the postmaster's children, by title), optionally the
 * bench's own process; with the wall time and /proc/stat's idle share over
 * the run. Postgres and the broker count only when they run on this machine.
 */
import { readdir, readlink } from 'node:fs/promises';
import pg from 'pg';
import type { BenchContext } from './benchContext.ts';
import { cpuBreakdown, parseListeningInodes, parseMachineTicks, postgresBackgroundRole, type CpuBreakdown } from './cpuFigures.ts';
import { childrenOf, readProc, startProcessSampler, type WatchedProcess } from './processPeaks.ts';
import { parseParentPid, type ProcessPeak } from './processTree.ts';

export interface CpuSampler {
  sampleNow(): Promise<void>;
  stop(): Promise<{ cpu: CpuBreakdown; peaks: ProcessPeak[] }>;
}

export interface CpuSamplerOptions {
  /** The database whose backends count as the run's (its name or its URL). */
  database: string;
  /** What to call the bench's own process when it does the run's work (the floor's COPY), or nothing to leave it out. */
  benchLabel?: string;
  /** Whether the broker takes part (not in the floor's COPY). */
  broker?: boolean;
}

async function pidListeningOn(port: number): Promise<number | undefined> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map(readProc));
  const inodes = new Set(tables.flatMap((table) => parseListeningInodes(table, port)));
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of await readdir(`/proc/${entry}/fd`).catch(() => [] as string[])) {
      const link = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (inodes.has(/^socket:\[(\d+)\]$/.exec(link)?.[1] ?? '')) return Number(entry);
    }
  }
  return undefined;
}

async function postgresBackground(postmaster: number): Promise<WatchedProcess[]> {
  const children = await childrenOf(postmaster);
  const roles = await Promise.all(children.map(async (pid) => ({ pid, label: postgresBackgroundRole(await readProc(`/proc/${String(pid)}/cmdline`)) })));
  return roles.flatMap(({ pid, label }) => (label === undefined ? [] : [{ pid, label }]));
}

const databaseNameOf = (database: string) => (database.includes('://') ? decodeURIComponent(new URL(database).pathname.slice(1)) : database);

export async function startCpuSampler(context: BenchContext, { database, benchLabel, broker: withBroker = true }: CpuSamplerOptions): Promise<CpuSampler> {
  const client = new pg.Client({ connectionString: context.adminUrl });
  await client.connect();
  try {
    const name = databaseNameOf(database);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // The postmaster is the parent of every backend, this client's too.
    const postmaster = parseParentPid(await readProc(`/proc/${String(rows[0]?.pid)}/stat`));
    const port = Number(context.kafkaBrokers[0]?.split(':').at(-1));
    const broker = withBroker && Number.isInteger(port) ? await pidListeningOn(port) : undefined;
    const fixed: WatchedProcess[] = [
      ...(broker === undefined ? [] : [{ pid: broker, label: 'broker' }]),
      ...(Number.isInteger(postmaster) ? await postgresBackground(postmaster) : []),
      ...(benchLabel === undefined ? [] : [{ pid: process.pid, label: benchLabel }]),
    ];
    if (withBroker && broker === undefined) context.log(`cpu: no process on this machine listens on port ${String(port)}; the broker's CPU is left out`);
    const watched = async () => {
      // A failed look-up only skips this sample's new backends; the ones seen keep their readings.
      const backends = await client
        .query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
        .catch(() => ({ rows: [] as { pid: number }[] }));
      return [...fixed, ...backends.rows.map(({ pid }) => ({ pid, label: 'postgres' }))];
    };
    const sampler = await startProcessSampler({ watched });
    const machineBefore = parseMachineTicks(await readProc('/proc/stat'));
    const started = performance.now();
    return {
      sampleNow: () => sampler.sampleNow(),
      async stop() {
        try {
          const wallSeconds = (performance.now() - started) / 1000;
          const { peaks, cpu } = await sampler.stop();
          const machineAfter = parseMachineTicks(await readProc('/proc/stat'));
          return { peaks, cpu: cpuBreakdown(cpu, wallSeconds, machineBefore, machineAfter) };
        } finally {
          await client.end();
        }
      },
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}

/** One log line: each party's seconds, largest first, then the total against the wall time. */
export function describeCpu(cpu: CpuBreakdown): string {
  const parties = Object.entries(cpu.seconds)
    .sort(([, a], [, b]) => b - a)
    .map(([party, seconds]) => `${party} ${seconds.toFixed(1)}`)
    .join(', ');
  return `CPU s ${parties}; total ${cpu.totalSeconds.toFixed(1)} in ${cpu.wallSeconds.toFixed(1)} s wall (${cpu.coresBusy.toFixed(2)} cores), machine ${(cpu.machineIdle * 100).toFixed(0)}% idle`;
}
