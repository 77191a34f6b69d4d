/**
 * Runs a command as a child process under `/usr/bin/time`, which reports the
 * child's peak resident set (ru_maxrss) and CPU times when it exits. Output
 * goes to a log file, so a failure can be read afterwards.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface MeasuredRun {
  exitCode: number | null;
  wallMs: number;
  peakRssBytes: number;
  userSeconds: number;
  systemSeconds: number;
  logFile: string;
}

export interface MeasuredOptions {
  env: NodeJS.ProcessEnv;
  logFile: string;
  cwd?: string;
}

const TIME_FORMAT = '%M %U %S';

export async function runMeasured(command: string, args: readonly string[], options: MeasuredOptions): Promise<MeasuredRun> {
  await mkdir(dirname(options.logFile), { recursive: true });
  const timeFile = `${options.logFile}.time`;
  const log = createWriteStream(options.logFile);
  const started = performance.now();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', TIME_FORMAT, '-o', timeFile, command, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('close', (code) => {
      resolve(code);
    });
  });
  const wallMs = performance.now() - started;
  await new Promise<void>((resolve) => log.end(resolve));
  const measured = parseTimeOutput(await readFile(timeFile, 'utf8'));
  await rm(timeFile, { force: true });
  return { exitCode, wallMs, ...measured, logFile: options.logFile };
}

/**
 * A package.json script, run as users run it (`pnpm run <script> …`), so its
 * node options (the import's and projector's heap cap) are measured too. The
 * peak RSS is ru_maxrss: the largest single process of the tree, not pnpm.
 */
export function runScriptMeasured(script: string, args: readonly string[], options: MeasuredOptions): Promise<MeasuredRun> {
  return runMeasured('pnpm', ['--silent', 'run', script, ...args], options);
}

/** The last line of `/usr/bin/time -f '%M %U %S'` (earlier lines may say the command exited non-zero). */
export function parseTimeOutput(text: string): { peakRssBytes: number; userSeconds: number; systemSeconds: number } {
  const line = text.trim().split('\n').at(-1) ?? '';
  const [rssKb, user, system] = line.trim().split(/\s+/).map(Number);
  if (rssKb === undefined || !Number.isFinite(rssKb)) throw new Error(`unexpected /usr/bin/time output: ${text}`);
  return { peakRssBytes: rssKb * 1024, userSeconds: user ?? Number.NaN, systemSeconds: system ?? Number.NaN };
}
