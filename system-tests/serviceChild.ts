/**
 * A service of ours (`node <script> [args]` from the repository root) as a
 * child process: the last 200 kB of what it printed, whether it still runs,
 * its exit, a signal when a test wants to crash it, and a stop that sends
 * SIGTERM and, after `killAfterMs`, SIGKILL. reliability/apiProcess.ts and
 * reliability/projectorProcess.ts start theirs with it and add how each is
 * ready; the import tests kill projectors with it.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const KEPT_OUTPUT_CHARS = 200_000;

export interface ServiceChild {
  pid: number;
  alive: () => boolean;
  output: () => string;
  /** Settles with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Sends a signal if the process still runs. */
  kill: (signal: NodeJS.Signals) => void;
  stop: () => Promise<void>;
}

export function spawnService(script: string, env: NodeJS.ProcessEnv, killAfterMs: number, args: readonly string[] = []): ServiceChild {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-KEPT_OUTPUT_CHARS));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => {
    resolveExit(code);
  }));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? 0,
    alive,
    output: () => output,
    exited,
    kill: (signal) => {
      if (alive()) child.kill(signal);
    },
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
