/**
 * Runs every uvu test file in its own Node process (a crash or a leaked handle
 * stays in its file), two at a time, and ends with the totals on one plain line:
 * `N passed, M failed`.
 *
 *   node scripts/test.ts            every *.test.ts (integration tests need KAFKA_BROKERS and DATABASE_URL, or Docker)
 *   node scripts/test.ts --unit     only the pure ones (files not named *.int.test.ts)
 *   node scripts/test.ts FILTER…    only files whose path contains a FILTER
 */
import { spawn } from 'node:child_process';
import { glob } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs, stripVTControlCharacters } from 'node:util';

const FILE_TIMEOUT_MS = 15 * 60_000;
const ROOTS = ['shared/src', 'producers/src', 'projector/src', 'api/src', 'importer/src', 'tools/src', 'system-tests', 'scripts'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    unit: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: String(Math.min(2, availableParallelism())) },
  },
});

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
  ms: number;
}

function summarize(file: string, output: string, exitCode: number | null, ms: number): FileResult {
  const plain = stripVTControlCharacters(output);
  const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? Number.NaN);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    // The file crashed before uvu could print its summary: that is one failure, not zero tests.
    return { file, passed: 0, failed: 1, skipped: 0, output, ms };
  }
  let failed = total - passed - (Number.isNaN(skipped) ? 0 : skipped);
  if (exitCode !== 0 && failed === 0) failed = 1;
  return { file, passed, failed, skipped: Number.isNaN(skipped) ? 0 : skipped, output, ms };
}

function runFile(file: string): Promise<FileResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[test runner] ${file} ran past ${FILE_TIMEOUT_MS / 60_000} min; killed\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(summarize(file, output, code, Date.now() - started));
    });
  });
}

const files: string[] = [];
for await (const file of glob(ROOTS.map((root) => `${root}/**/*.test.ts`), { exclude: (name) => name === 'node_modules' })) {
  if (values.unit && file.endsWith('.int.test.ts')) continue;
  if (positionals.length > 0 && !positionals.some((filter) => file.includes(filter))) continue;
  files.push(file);
}
files.sort();

const results: FileResult[] = [];
const queue = [...files];
const workers = Array.from({ length: Math.max(1, Number(values.concurrency)) }, async () => {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const result = await runFile(file);
    results.push(result);
    const status = result.failed > 0 ? 'FAIL' : 'ok  ';
    process.stdout.write(`${status} ${file} (${result.passed} passed, ${result.failed} failed, ${(result.ms / 1000).toFixed(1)} s)\n`);
    if (result.failed > 0) process.stdout.write(`${result.output.trimEnd()}\n\n`);
  }
});
await Promise.all(workers);

const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
const skipped = results.reduce((sum, result) => sum + result.skipped, 0);
if (files.length === 0) process.stdout.write('no test files matched\n');
process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
