/**
 * Part 5: several API instances (issue 17). On the database the import
 * filled, a projector process (`node projector/src/main.ts`, resuming at its
 * checkpoints, METRICS_PORT on) and two API processes, no load balancer:
 * the load generator splits its connections between them. Measured:
 *
 * - reads, GET /users/:id over up to 50 users, on one instance and on two;
 * - writes, PATCH /users/:id (unconditional) over the same users, on one
 *   instance and on two, each answered once the projector has applied it;
 * - one hot user: clients on both instances racing GET + conditional PATCH.
 *
 * For each phase: answers/s, p50/p99, statuses, and CPU per answer of the
 * API processes, the projector and the database's backends (from /proc), so
 * instance counts can be worked out for other loads; for writes, the
 * projector's batches and mean batch time from its own /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '@medly/shared/testing/freePort';
import { stop, waitUntilHealthy } from './serviceProcess.ts';
import { nodeFlagsOf } from './scriptFlags.ts';
import { childEnv, type BenchContext } from './benchContext.ts';
import { autocannonLoad, figuresOf, hotUserLoad, type LoadFigures, type LoadRequest, type LoadTimes } from './instancesLoad.ts';
import { backendPids, cpuUsed, readCpu } from './processCpu.ts';

export interface InstancesOptions {
  databaseUrl: string;
  topicPrefix: string;
  /** Read connections in all, split between the instances. */
  connections: number;
  /** PATCH connections in all, split between the instances. */
  writeConnections: number;
  hotClients: number;
  durationSeconds: number;
  warmupSeconds: number;
  logLevel: string;
}

export interface PhaseResult extends LoadFigures {
  instances: number;
  connections: number;
  /** CPU ms per answer: the API processes, the projector, and every backend of the database (the projector's included). */
  cpuMsPerAnswer: { api: number; projector: number; postgres: number };
  /** From the projector's /metrics over the phase: batches committed and their mean duration. */
  projector: { batches: number; meanBatchMs: number };
}

export interface InstancesResult {
  users: number;
  durationSeconds: number;
  reads: PhaseResult[];
  writes: PhaseResult[];
  hotUser: PhaseResult;
}

const TOKEN = randomBytes(32).toString('base64url');
const TOKEN_SETTING = `bench-writer:${createHash('sha256').update(TOKEN).digest('hex')}:read+write`;

export async function runInstancesBench(context: BenchContext, options: InstancesOptions): Promise<InstancesResult> {
  const users = await benchUsers(options.databaseUrl);
  const database = new URL(options.databaseUrl).pathname.slice(1);
  const [metricsPort, ...apiPorts] = [await freePort(), await freePort(), await freePort()];
  const env = { DATABASE_URL: options.databaseUrl, TOPIC_PREFIX: options.topicPrefix, LOG_LEVEL: options.logLevel };
  const processes: ChildProcess[] = [];
  try {
    const projector = service(context, 'projector', { ...env, METRICS_PORT: String(metricsPort) }, 'instances-projector.log');
    processes.push(projector);
    const apis = apiPorts.map((port, index) =>
      service(context, 'api', { ...env, PORT: String(port), SERVICE_TOKENS: TOKEN_SETTING, RATE_LIMIT_REQUESTS: '0' }, `instances-api-${String(index)}.log`),
    );
    processes.push(...apis);
    const bases = apiPorts.map((port) => `http://127.0.0.1:${String(port)}`);
    for (const [index, base] of bases.entries()) await waitUntilHealthy(base, apis[index] as ChildProcess, join(context.runDir, `instances-api-${String(index)}.log`));
    await firstChangeApplied(bases[0] ?? '', users[0] ?? '');

    const servicePids = [projector, ...apis].map((child) => child.pid ?? 0);
    const phase = async (instances: number, connections: number, run: () => Promise<LoadTimes>): Promise<PhaseResult> => {
      const pids = [...servicePids, ...(await backendPids(context.adminUrl, database))];
      const [before, batchesBefore] = [await readCpu(pids), await projectorBatches(metricsPort)];
      const load = await run();
      const after = await readCpu([...servicePids, ...(await backendPids(context.adminUrl, database))]);
      const batchesAfter = await projectorBatches(metricsPort);
      const figures = figuresOf(load);
      const answers = Math.max(1, load.times.length);
      const cpu = (selected: number[]) => (cpuUsed(sub(before, selected), sub(after, selected)) * 1000) / answers;
      const batches = batchesAfter.count - batchesBefore.count;
      return {
        ...figures,
        instances,
        connections,
        cpuMsPerAnswer: {
          api: cpu(servicePids.slice(1)),
          projector: cpu(servicePids.slice(0, 1)),
          postgres: (cpuUsed(before, after) * 1000) / answers - cpu(servicePids.slice(1)) - cpu(servicePids.slice(0, 1)),
        },
        projector: { batches, meanBatchMs: batches > 0 ? ((batchesAfter.sum - batchesBefore.sum) * 1000) / batches : Number.NaN },
      };
    };
    const { connections, writeConnections, durationSeconds: seconds, warmupSeconds } = options;
    const read: LoadRequest = { method: 'GET', path: (n) => `/users/${users[n % users.length] ?? ''}` };
    const write: LoadRequest = { ...read, method: 'PATCH', body: (n) => JSON.stringify({ metadata: { bench: n } }) };
    const on = (count: number) => bases.slice(0, count);

    if (warmupSeconds > 0) await autocannonLoad(bases, connections / 2, warmupSeconds, TOKEN, read);
    const reads = [
      await phase(1, connections, () => autocannonLoad(on(1), connections, seconds, TOKEN, read)),
      await phase(2, connections, () => autocannonLoad(on(2), connections / 2, seconds, TOKEN, read)),
    ];
    context.log(`instances reads: ${reads.map((result) => `${String(result.instances)}: ${result.perSecond.toFixed(0)}/s`).join(', ')}`);
    if (warmupSeconds > 0) await autocannonLoad(bases, writeConnections / 2, warmupSeconds, TOKEN, write);
    const writes = [
      await phase(1, writeConnections, () => autocannonLoad(on(1), writeConnections, seconds, TOKEN, write)),
      await phase(2, writeConnections, () => autocannonLoad(on(2), writeConnections / 2, seconds, TOKEN, write)),
    ];
    context.log(`instances writes: ${writes.map((result) => `${String(result.instances)}: ${result.perSecond.toFixed(0)}/s`).join(', ')}`);
    const hotUser = await phase(2, options.hotClients, () => hotUserLoad(bases, options.hotClients, seconds, TOKEN, users[0] ?? ''));
    context.log(`instances hot user: ${JSON.stringify(hotUser.statuses)} in ${String(seconds)} s`);
    return { users: users.length, durationSeconds: seconds, reads, writes, hotUser };
  } finally {
    for (const child of processes.toReversed()) await stop(child);
  }
}

function sub(reading: Awaited<ReturnType<typeof readCpu>>, pids: readonly number[]) {
  return { byPid: new Map([...reading.byPid].filter(([pid]) => pids.includes(pid))) };
}

/** `pnpm <name>`'s service (`<name>/src/main.ts`) with its node flags, as a direct child so that its pid is the service's. */
function service(context: BenchContext, name: 'api' | 'projector', env: Record<string, string>, logName: string): ChildProcess {
  const log = createWriteStream(join(context.runDir, logName));
  const child = spawn(process.execPath, [...nodeFlagsOf(name), `${name}/src/main.ts`], { env: childEnv(context, env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function benchUsers(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ uid: string }>('SELECT uid FROM users WHERE attempt_count > 0 ORDER BY md5(uid) LIMIT 50');
    if (rows.length === 0) throw new Error('the imported database has no users');
    return rows.map((row) => encodeURIComponent(row.uid));
  } finally {
    await client.end();
  }
}

/** Once a change is answered 200, the projector has joined its group and applies changes. */
async function firstChangeApplied(base: string, uid: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${base}/users/${uid}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { bench: 'start' } }),
    });
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`no change was applied within 120 s (last answer ${String(response.status)})`);
    await sleep(1_000);
  }
}

/** The projector's committed batches so far, and their total duration, from its /metrics. */
async function projectorBatches(port: number): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
  const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    count: value('medly_projector_batch_duration_seconds_count\\{outcome="committed"\\}'),
    sum: value('medly_projector_batch_duration_seconds_sum\\{outcome="committed"\\}'),
  };
}
