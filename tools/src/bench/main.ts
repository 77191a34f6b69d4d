/**
 * pnpm bench [--scale 1,10,100] [--parts produce,projection,import,api,projectors] [--import-scale K,…]
 *            [--rounds N] [--batch-size N] [--naive-sample N] [--strategies a,b,…]
 *            [--api-scale K] [--connections N] [--duration S] [--warmup S] [--alone S] [--api-log-level L]
 *            [--open-rate R] [--open-duration S] [--write-connections N] [--hot-clients N] [--replay-scale K,…]
 *            [--data-root /tmp] [--out docs/BENCHMARKS.md]
 * pnpm bench --from-results reports/bench/<time>/results.json [--out F]   (re-render, measure nothing)
 *
 * Measures, in one run, on the generated data at each scale (DESIGN §8, issue 7):
 *   1. produce: `pnpm produce` events/s, MiB/s, peak RSS; then the projector on its own;
 *   2. projection: rows/s of each write strategy on the same rows, ÷ naive and ÷ raw COPY;
 *   3. import: `pnpm import` wall time, each process's peak RSS (also at 300× when --scale has 100); then, before
 *      the api parts use it, its write floor (floorBench.ts) and `pnpm replay` on it (replayBench.ts; issue 16);
 *      the CPU seconds of every party (importer, projector, broker, Postgres) of all three (cpuSampler.ts);
 *      replay at --replay-scale (default: the import scales up to 100);
 *   4. api: p50/p99, req/s per route (autocannon) on the import at --api-scale, beside a bare node:http + pg floor
 *      on the API's own SQL; then an open loop, --open-rate req/s (1,000) for --open-duration s (30) over every route;
 *   5. projectors: one projector against two in one group on the same topics (6 partitions);
 *   6. instances: reads and writes on one and two API processes, and one user's changes raced over both.
 * Data comes from <data-root>/medly-K (made with `pnpm gen` when missing). Every
 * part uses its own throwaway databases and topic prefix, removed afterwards.
 * Writes docs/BENCHMARKS.md (below its hand-written intro), its charts (docs/bench-*.svg, redrawn by --from-results)
 * and, with the logs, reports/bench/<time>/results.json. A part that fails is reported; the others run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runApiBench } from './apiBench.ts';
import { runInstancesBench } from './instancesBench.ts';
import type { BenchContext } from './benchContext.ts';
import { ensureGeneratedData } from './dataFiles.ts';
import { importAvailable, runImportBench, type ImportedDatabase } from './importBench.ts';
import { measureWriteFloor } from './floorBench.ts';
import { describeMachine } from './machine.ts';
import { runProduceBench } from './produceBench.ts';
import { runProjectorsBench } from './projectorsBench.ts';
import type { ProjectionResult } from './projectionBench.ts';
import { runReplayBench } from './replayBench.ts';
import { writeBenchmarksFile } from './report.ts';
import type { BenchResults } from './results.ts';

const PARTS = ['produce', 'projection', 'import', 'api', 'projectors', 'instances'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1,10,100' },
    parts: { type: 'string', default: PARTS.join(',') },
    'import-scale': { type: 'string' },
    rounds: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '5000' },
    'naive-sample': { type: 'string', default: '20000' },
    strategies: { type: 'string' },
    'api-scale': { type: 'string' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    alone: { type: 'string', default: '3' },
    'api-log-level': { type: 'string', default: 'warn' },
    'open-rate': { type: 'string', default: '1000' }, 'open-duration': { type: 'string', default: '30' }, 'replay-scale': { type: 'string' },
    'write-connections': { type: 'string', default: '16' },
    'hot-clients': { type: 'string', default: '8' },
    'data-root': { type: 'string', default: '/tmp' },
    out: { type: 'string', default: 'docs/BENCHMARKS.md' },
    'from-results': { type: 'string' },
  },
});

if (values['from-results'] !== undefined) {
  await writeBenchmarksFile(values.out, JSON.parse(await readFile(values['from-results'], 'utf8')) as BenchResults);
  console.log(`${values.out} re-rendered from ${values['from-results']}`);
  process.exit(0);
}

const numbers = (text: string) => [...new Set(text.split(',').map((part) => Number(part.trim())))].filter((n) => n > 0).sort((a, b) => a - b);
const scales = numbers(values.scale);
const parts = new Set(values.parts.split(',').map((part) => part.trim()));
for (const part of parts) {
  if (!PARTS.includes(part as Part)) {
    console.error(`unknown part "${part}" (one of ${PARTS.join(', ')})`);
    process.exit(2);
  }
}
const importScales = values['import-scale'] ? numbers(values['import-scale']) : scales.includes(100) ? [...new Set([1, 10, ...scales, 300])].sort((a, b) => a - b) : scales;
const replayScales = values['replay-scale'] ? numbers(values['replay-scale']) : importScales.filter((scale) => scale <= 100);
const apiScale = values['api-scale'] ? Number(values['api-scale']) : scales.includes(100) ? 100 : (scales.at(-1) ?? 1);
const has = (part: Part) => parts.has(part);

const startedAt = new Date();
const runDir = join('reports', 'bench', startedAt.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z'));
await mkdir(runDir, { recursive: true });
const context: BenchContext = {
  adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  dataRoot: values['data-root'],
  runDir,
  log: (message) => {
    console.log(`${new Date().toISOString().slice(11, 19)} ${message}`);
  },
};

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  finishedAt: '',
  commit: git(['rev-parse', '--short', 'HEAD']),
  uncommitted: git(['status', '--porcelain', '--untracked-files=no', '--', 'shared/src', 'producers/src', 'projector/src', 'importer/src', 'migrations', 'api/src'])
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3)),
  command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
  runDir,
  machine: await describeMachine(context.adminUrl),
  scales,
  produce: [],
  projection: [],
  imports: [],
  failures: [],
};

async function part(name: string, scale: number | undefined, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log(`${name}${scale === undefined ? '' : ` ${String(scale)}×`} FAILED: ${message}`);
    results.failures.push({ part: name, scale, message });
  }
  await save();
}

async function save(): Promise<void> {
  results.finishedAt = new Date().toISOString();
  await writeFile(join(runDir, 'results.json'), JSON.stringify(results, null, 2));
  await writeBenchmarksFile(values.out, results);
}

context.log(`pnpm bench: scales ${scales.join(', ')}; parts ${[...parts].join(', ')}; import at ${importScales.join(', ')}; api at ${String(apiScale)}×; logs in ${runDir}`);
const importExists = await importAvailable();
if (!importExists) results.importSkipped = '`importer/src/main.ts` (pnpm run import) does not exist in this checkout yet; the harness is ready for it.';

for (const scale of [...new Set([...scales, ...importScales])].sort((a, b) => a - b)) {
  await part('data', scale, () => ensureGeneratedData(context, scale).then(() => undefined));
  if (scales.includes(scale) && has('produce')) {
    await part('produce', scale, async () => {
      results.produce.push(await runProduceBench(context, scale));
    });
  }
  if (scales.includes(scale) && has('projection')) {
    await part('projection', scale, async () => {
      results.projection.push({ scale, result: await runProjectionChild(scale) });
    });
  }
  if (scales.includes(scale) && has('projectors')) {
    await part('projectors', scale, async () => {
      (results.projectors ??= []).push(await runProjectorsBench(context, scale));
    });
  }
  const wantImport = has('import') && importScales.includes(scale);
  const wantApi = has('api') && scale === apiScale;
  const wantInstances = has('instances') && scale === apiScale;
  if (importExists && (wantImport || wantApi || wantInstances)) {
    let imported: ImportedDatabase | undefined;
    await part('import', scale, async () => {
      const outcome = await runImportBench(context, scale, wantImport || wantApi || wantInstances);
      if (wantImport) results.imports.push(outcome.result);
      imported = outcome.imported;
    });
    if (imported) {
      const database = imported;
      const importResult = wantImport ? results.imports.find((result) => result.scale === scale) : undefined;
      if (importResult) {
        await part('floor', scale, async () => {
          importResult.floor = await measureWriteFloor(context, scale, database.databaseUrl);
        });
        if (replayScales.includes(scale)) {
          await part('replay', scale, async () => {
            importResult.replay = await runReplayBench(context, scale, database);
          });
        }
      }
      if (wantApi) {
        await part('api', scale, async () => {
          const result = await runApiBench(context, {
            databaseUrl: database.databaseUrl,
            topicPrefix: database.topicPrefix,
            connections: Number(values.connections),
            durationSeconds: Number(values.duration),
            warmupSeconds: Number(values.warmup),
            aloneSeconds: Number(values.alone),
            logLevel: values['api-log-level'],
            openRate: Number(values['open-rate']), openDurationSeconds: Number(values['open-duration']),
          });
          results.api = { scale, result };
        });
      }
      if (wantInstances) {
        await part('instances', scale, async () => {
          const result = await runInstancesBench(context, {
            databaseUrl: database.databaseUrl,
            topicPrefix: database.topicPrefix,
            connections: Number(values.connections),
            writeConnections: Number(values['write-connections']),
            hotClients: Number(values['hot-clients']),
            durationSeconds: Number(values.duration),
            warmupSeconds: Number(values.warmup),
            logLevel: values['api-log-level'],
          });
          results.instances = { scale, result };
        });
      }
      await database.release();
    }
  }
}
if (has('api') && !results.api && !results.failures.some((failure) => failure.part === 'api' || failure.part === 'import')) {
  results.apiSkipped = importExists ? `no import at ${String(apiScale)}× in this run` : 'it needs `pnpm import`, which does not exist yet';
}
await save();
context.log(`done: ${values.out} and ${join(runDir, 'results.json')}${results.failures.length > 0 ? ` (${String(results.failures.length)} part(s) failed)` : ''}`);

async function runProjectionChild(scale: number): Promise<ProjectionResult> {
  const out = join(runDir, `projection-${String(scale)}.json`);
  const args = [
    '--max-old-space-size=8192',
    'tools/src/bench/projectionMain.ts',
    '--data-dir',
    join(context.dataRoot, `medly-${String(scale)}`),
    '--out',
    out,
    '--rounds',
    values.rounds,
    '--batch-size',
    values['batch-size'],
    '--naive-sample',
    values['naive-sample'],
    ...(values.strategies ? ['--strategies', values.strategies] : []),
  ];
  context.log(`projection ${String(scale)}×: node ${args.join(' ')}`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, DATABASE_URL: context.adminUrl } });
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`the projection bench exited with ${String(code)}`);
  return JSON.parse(await readFile(out, 'utf8')) as ProjectionResult;
}

function git(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trimEnd();
  } catch {
    return 'unknown';
  }
}
