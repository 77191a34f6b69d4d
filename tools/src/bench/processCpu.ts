/**
 * CPU time of processes, from /proc: the services' own (API, projector) and
 * the Postgres backends serving one database, so a load can be priced in CPU
 * per request on each side. A backend that ends before the second reading is
 * missed; one that starts between the readings counts from zero.
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { parseCpuSeconds } from './processTree.ts';

/** User + system CPU seconds of a process; 0 when it is gone. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const seconds = parseCpuSeconds(await readFile(`/proc/${String(pid)}/stat`, 'utf8').catch(() => ''));
  return Number.isFinite(seconds) ? seconds : 0;
}

/** The pids of the backends connected to a database now. */
export async function backendPids(adminUrl: string, database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

export interface CpuReading {
  byPid: Map<number, number>;
}

export async function readCpu(pids: readonly number[]): Promise<CpuReading> {
  return { byPid: new Map(await Promise.all(pids.map(async (pid) => [pid, await cpuSecondsOf(pid)] as const))) };
}

/** CPU seconds used between two readings, over the pids of the second (new ones from zero). */
export function cpuUsed(before: CpuReading, after: CpuReading): number {
  let used = 0;
  for (const [pid, seconds] of after.byPid) used += Math.max(0, seconds - (before.byPid.get(pid) ?? 0));
  return used;
}
