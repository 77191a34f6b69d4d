/** The generated data of one scale: made with `pnpm gen` when it is missing, and its size. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirOf, type BenchContext } from './benchContext.ts';
import { runMeasured } from './measuredProcess.ts';

export async function ensureGeneratedData(context: BenchContext, scale: number): Promise<string> {
  const dataDir = dataDirOf(context, scale);
  if ((await inputBytes(dataDir)) > 0) return dataDir;
  context.log(`generating ${String(scale)}× into ${dataDir} (pnpm gen)`);
  const run = await runMeasured(process.execPath, ['tools/src/gen/main.ts', '--scale', String(scale), '--out', dataDir], {
    env: process.env,
    logFile: join(context.runDir, `gen-${String(scale)}.log`),
  });
  if (run.exitCode !== 0) throw new Error(`pnpm gen --scale ${String(scale)} failed; see ${run.logFile}`);
  return dataDir;
}

/** Total size of the export files (user_data/*.json, curriculum_data/*.json, schemas excluded); 0 when absent. */
export async function inputBytes(dataDir: string): Promise<number> {
  let total = 0;
  for (const folder of ['user_data', 'curriculum_data']) {
    const names = await readdir(join(dataDir, folder)).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.json') || name.endsWith('.schema.json')) continue;
      total += (await stat(join(dataDir, folder, name))).size;
    }
  }
  return total;
}
