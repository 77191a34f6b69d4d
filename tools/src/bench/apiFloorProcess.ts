/**
 * The bare floor server (apiFloorServer.ts) as a child process of the API bench,
 * on the same database as the API, beside it: started once, loaded route by
 * route right after the API's own run of that route.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@medly/shared/testing/freePort';
import { stop, waitUntilHealthy } from './serviceProcess.ts';
import { childEnv, type BenchContext } from './benchContext.ts';
import { floorRoutes } from './apiFloorQueries.ts';

export interface FloorServer {
  base: string;
  /** The routes it answers, named as the API bench names them. */
  routes: ReadonlySet<string>;
  stop(): Promise<void>;
}

export async function startFloorServer(context: BenchContext, databaseUrl: string): Promise<FloorServer> {
  const routes = new Set((await floorRoutes()).map((route) => route.route));
  const port = await freePort();
  const logFile = join(context.runDir, 'api-floor.log');
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(process.execPath, ['tools/src/bench/apiFloorServer.ts'], {
    env: childEnv(context, { DATABASE_URL: databaseUrl, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const base = `http://127.0.0.1:${String(port)}`;
  try {
    await waitUntilHealthy(base, child, logFile, 'the floor server');
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { base, routes, stop: () => stop(child) };
}
