/**
 * Finds the export files of each source in a data folder. Curriculum files
 * are per subject, `curriculum_data/<subjectId>_{course,practices,exams}.json`,
 * so a second subject is a second set of files, not a code change; user
 * exports are every `user_data/*.json`. JSON Schemas beside them
 * (`*.schema.json`) are not data. Files come back sorted, so runs are repeatable.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceName } from '@medly/shared/reasons';

export interface SourceFile {
  source: SourceName;
  /** Absolute (or as given) path to read. */
  path: string;
  /** Relative to the data folder with `/` separators: what events and rejections name. */
  file: string;
  /** From the file name for curriculum files; users carry theirs in each path. */
  subjectId: string | null;
}

const CURRICULUM_FILE = /^(.+)_(course|practices|exams)\.json$/;

export async function discoverSourceFiles(dataDir: string, sources: readonly SourceName[]): Promise<Map<SourceName, SourceFile[]>> {
  const found = new Map<SourceName, SourceFile[]>(sources.map((source) => [source, []]));
  for (const name of await listJson(dataDir, 'curriculum_data')) {
    const match = CURRICULUM_FILE.exec(name);
    if (!match) continue;
    const [, subjectId, kind] = match as unknown as [string, string, SourceName];
    found.get(kind)?.push({
      source: kind,
      path: join(dataDir, 'curriculum_data', name),
      file: `curriculum_data/${name}`,
      subjectId,
    });
  }
  for (const name of await listJson(dataDir, 'user_data')) {
    found.get('users')?.push({ source: 'users', path: join(dataDir, 'user_data', name), file: `user_data/${name}`, subjectId: null });
  }
  return found;
}

async function listJson(dataDir: string, folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dataDir, folder), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.endsWith('.schema.json'))
    .map((entry) => entry.name)
    .sort();
}
