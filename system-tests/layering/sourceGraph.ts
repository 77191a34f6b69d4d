/**
 * The repository as the layering test sees it: the workspace packages (from
 * pnpm-workspace.yaml, so a new package is covered without a change here),
 * every source file with the package that owns it, and every import of each
 * file, read with TypeScript's own pre-parser (static and dynamic imports,
 * `export … from`, `require`, type-only imports; comments and strings are
 * not mistaken for imports). Nothing here is a rule: layering.test.ts says
 * what is allowed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { glob } from 'node:fs/promises';
import { dirname, join, normalize, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface WorkspacePackage {
  name: string;
  /** Relative to the repository root, `''` for the root package. */
  dir: string;
  declared: Set<string>;
  exports: unknown;
}

export interface SourceImport {
  /** The file, relative to the repository root, with `/` separators. */
  file: string;
  specifier: string;
  /** The file it resolves to, relative to the root, when it is one of ours. */
  target: string | undefined;
}

const SOURCE = '**/*.{ts,mts,cts,js,mjs,cjs}';
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'data', 'reports', 'coverage', '.stack', '.tools']);

const posix = (path: string) => path.split(sep).join('/');

function readPackage(dir: string): WorkspacePackage {
  const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const names = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
    Object.keys((manifest[field] as Record<string, string> | undefined) ?? {}),
  );
  return { name: String(manifest.name), dir: posix(dir), declared: new Set(names), exports: manifest.exports };
}

/** The root package and every workspace package, the deepest folder first (so a file's owner is the first whose folder holds it). */
export async function workspacePackages(): Promise<WorkspacePackage[]> {
  const workspace = parse(readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')) as { packages?: string[] };
  const dirs: string[] = [];
  for (const pattern of workspace.packages ?? []) {
    for await (const manifest of glob(`${pattern}/package.json`, { cwd: ROOT, exclude: (name) => SKIPPED.has(name) })) {
      dirs.push(dirname(manifest));
    }
  }
  const packages = [readPackage(''), ...dirs.map(readPackage)];
  return packages.sort((a, b) => b.dir.length - a.dir.length);
}

export function ownerOf(packages: readonly WorkspacePackage[], file: string): WorkspacePackage {
  const owner = packages.find((candidate) => candidate.dir === '' || file.startsWith(`${candidate.dir}/`));
  if (!owner) throw new Error(`no package owns ${file}`);
  return owner;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

/** A package's export for a subpath (`./x/y`): exact keys, then `*` patterns; conditions pick `import`, then `default`. */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const conditions = value as Record<string, unknown>;
      return pick(conditions.import ?? conditions.default);
    }
    return undefined;
  };
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return pick(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [before, after] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= key.length - 1) {
      return pick(value)?.replace('*', subpath.slice(before.length, subpath.length - after.length));
    }
  }
  return undefined;
}

function resolveImport(packages: readonly WorkspacePackage[], file: string, specifier: string): string | undefined {
  if (isRelative(specifier)) return posix(normalize(join(dirname(file), specifier)));
  const name = packageNameOf(specifier);
  const target = packages.find((candidate) => candidate.name === name && candidate.dir !== '');
  if (!target) return undefined;
  const exported = exportTarget(target.exports, `.${specifier.slice(name.length)}`);
  return exported === undefined ? undefined : posix(normalize(join(target.dir, exported)));
}

/** Every import of every source file of the repository. */
export async function sourceImports(packages: readonly WorkspacePackage[]): Promise<SourceImport[]> {
  const imports: SourceImport[] = [];
  for await (const path of glob(SOURCE, { cwd: ROOT, exclude: (name) => SKIPPED.has(name) })) {
    const file = posix(path);
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      imports.push({ file, specifier, target: resolveImport(packages, file, specifier) });
    }
  }
  return imports.sort((a, b) => a.file.localeCompare(b.file) || a.specifier.localeCompare(b.specifier));
}

/** The first folder of a path inside the repository (`''` for a file at the root). */
export function topFolderOf(file: string): string {
  const parts = posix(relative(ROOT, join(ROOT, file))).split('/');
  return parts.length > 1 ? (parts[0] ?? '') : '';
}

export function fileExists(file: string): boolean {
  return existsSync(join(ROOT, file));
}
