/**
 * Replay against the floor (issue 16, item 2): `pnpm replay` as a measured
 * child on the topics and database an import just made. It takes the
 * checksums, empties the projections, rebuilds them from the earliest offsets
 * and compares: wall time (the two checksum passes included), peak RSS,
 * whether every table came back equal, and the CPU seconds of the replay, the
 * broker and Postgres (cpuSampler.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childEnv, type BenchContext } from './benchContext.ts';
import type { CpuBreakdown } from './cpuFigures.ts';
import { describeCpu, startCpuSampler } from './cpuSampler.ts';
import { runScriptMeasured } from './measuredProcess.ts';

export interface ReplayFigures {
  seconds: number;
  /** The rebuild alone (reset to caught up, from replay's log), what the floor is compared with; absent in older results. */
  rebuildSeconds?: number;
  peakRssBytes: number;
  checksumsEqual: boolean;
  /** Absent before issue 16's CPU table. */
  cpu?: CpuBreakdown;
}

export async function runReplayBench(context: BenchContext, scale: number, imported: { databaseUrl: string; topicPrefix: string }): Promise<ReplayFigures> {
  context.log(`replay ${String(scale)}×: pnpm replay (TOPIC_PREFIX=${imported.topicPrefix})`);
  const sampler = await startCpuSampler(context, { database: imported.databaseUrl });
  let cpu: CpuBreakdown;
  let run: Awaited<ReturnType<typeof runScriptMeasured>>;
  try {
    run = await runScriptMeasured('replay', [], {
      env: childEnv(context, { TOPIC_PREFIX: imported.topicPrefix, DATABASE_URL: imported.databaseUrl }),
      logFile: join(context.runDir, `replay-${String(scale)}.log`),
    });
  } finally {
    ({ cpu } = await sampler.stop());
  }
  // replay prints one line per table, "same" or "DIFFERS (…)", and exits 1 when any differs.
  const log = await readFile(run.logFile, 'utf8');
  const compared = /\bsame$/m.test(log) || /\bDIFFERS \(/.test(log);
  if (run.exitCode !== 0 && !compared) throw new Error(`pnpm replay exited with ${String(run.exitCode)}; see ${run.logFile}`);
  const rebuildMs = Number(/"rebuildMs":(\d+)/.exec(log)?.[1]);
  const figures = {
    seconds: run.wallMs / 1000,
    ...(Number.isFinite(rebuildMs) ? { rebuildSeconds: rebuildMs / 1000 } : {}),
    peakRssBytes: run.peakRssBytes,
    checksumsEqual: run.exitCode === 0 && !/\bDIFFERS \(/.test(log),
    cpu,
  };
  const rebuild = figures.rebuildSeconds === undefined ? 'no rebuild time in its log' : `${figures.rebuildSeconds.toFixed(1)} s of it rebuilding`;
  context.log(`replay ${String(scale)}×: ${figures.seconds.toFixed(2)} s (${rebuild}), checksums ${figures.checksumsEqual ? 'equal' : 'DIFFER'}; ${describeCpu(cpu)}`);
  return figures;
}
