/** .dockerignore as BuildKit reads it, for the patterns this project uses (no `!` exceptions). */
import { readRepoFile } from './repo.ts';

export function dockerignorePatterns(text = readRepoFile('.dockerignore')): string[] {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const exception = patterns.find((pattern) => pattern.startsWith('!'));
  if (exception) throw new Error(`.dockerignore: exceptions (${exception}) need a fuller matcher than scripts/ship/dockerignore.ts`);
  return patterns;
}

/** Whether a path relative to the context root (`a/b/c`) is left out: a pattern matches it or a folder above it. */
export function isIgnored(patterns: readonly string[], path: string): boolean {
  return patterns.some((pattern) => {
    const source = pattern
      .replace(/^\/+|\/+$/g, '')
      .split('**/')
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
      .join('(?:.*/)?');
    return new RegExp(`^${source}(?:/.*)?$`).test(path);
  });
}
