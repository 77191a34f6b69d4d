/**
 * The projection part in a process of its own (main.ts starts it with a
 * larger heap: at 100× the rows of two tables are held in memory, as the
 * same rows must go to every strategy). Writes its ProjectionResult as JSON.
 *
 *   node --max-old-space-size=8192 tools/src/bench/projectionMain.ts --data-dir D --out F
 *        [--rounds N] [--batch-size N] [--naive-sample N] [--strategies a,b,…]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runProjectionBench } from './projectionBench.ts';
import { writeStrategies } from './strategies/writeStrategies.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    out: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '5000' },
    'naive-sample': { type: 'string', default: '20000' },
    strategies: { type: 'string' },
  },
});
const dataDir = values['data-dir'];
const out = values.out;
if (dataDir === undefined || out === undefined) {
  console.error('usage: node tools/src/bench/projectionMain.ts --data-dir D --out F [--rounds N] [--batch-size N] [--naive-sample N] [--strategies a,b]');
  process.exit(2);
}
const chosen = values.strategies?.split(',').map((id) => id.trim());
const strategies = chosen ? writeStrategies.filter((strategy) => chosen.includes(strategy.id)) : writeStrategies;
const result = await runProjectionBench({
  adminUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  dataDir,
  strategies,
  rounds: Number(values.rounds),
  batchSize: Number(values['batch-size']),
  naiveSample: Number(values['naive-sample']),
  log: (message) => {
    console.log(`  ${message}`);
  },
});
await writeFile(out, JSON.stringify(result, null, 2));
