/**
 * A service of ours (`node <script>` from the repository root) as a child
 * process: the last 200 kB of what it printed, whether it still runs, and a
 * stop that sends SIGTERM and, after `killAfterMs`, SIGKILL. apiProcess.ts and
 * projectorProcess.ts start theirs with it and add how each is ready.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const KEPT_OUTPUT_CHARS = 200_000;

export interface ServiceChild {
  pid: number;
  alive(): boolean;
  output(): string;
  stop(): Promise<void>;
}

export function spawnService(script: string, env: NodeJS.ProcessEnv, killAfterMs: number): ServiceChild {
  const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-KEPT_OUTPUT_CHARS));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => {
    resolveExit();
  }));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? 0,
    alive,
    output: () => output,
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
