/**
 * The Node flags a `pnpm <script>` of package.json runs with (`node --max-old-space-size=320 … api/src/main.ts`
 * → the flags before the file): the bench starts a service without pnpm in between, so that its pid is the
 * service's own, yet with the heap settings users get.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const packageJson = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { scripts: Record<string, string> };

export function nodeFlagsOf(script: string, scripts: Record<string, string> = packageJson.scripts): string[] {
  const words = scripts[script]?.split(/\s+/) ?? [];
  if (words[0] !== 'node') throw new Error(`package.json's "${script}" script does not start with node`);
  return words.slice(1).filter((word, index, all) => word.startsWith('--') && all.slice(1, index + 1).every((before) => before.startsWith('--')));
}
