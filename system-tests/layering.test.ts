/**
 * The package boundaries of docs/ARCHITECTURE.md §2, checked rather than
 * trusted to review (as ponder does in its layering.test.ts). Pure: it reads
 * the sources and starts nothing.
 *
 *   (a) no relative import crosses a top-level folder, and none reaches into
 *       a node_modules folder by path;
 *   (b) every package (the root one included) imports only packages its
 *       package.json declares, or Node's built-ins;
 *   (c) producers, projector and api import (and declare) no @medly/*
 *       package but @medly/shared, and shared imports none;
 *   (d) no import cycle among the product's source files (every workspace
 *       package but tools and system-tests, so a new package is covered).
 */
import { builtinModules } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  fileExists,
  isRelative,
  ownerOf,
  packageNameOf,
  sourceImports,
  topFolderOf,
  workspacePackages,
  type SourceImport,
} from './layering/sourceGraph.ts';

/** Packages that are not the product: they may import it (through its exports). */
const NOT_PRODUCT = new Set(['medly-ingest', '@medly/tools', '@medly/system-tests']);
/** The services: each depends on @medly/shared only, never on another. */
const SERVICES = new Set(['@medly/producers', '@medly/projector', '@medly/api']);

type Rule = 'a' | 'b' | 'c' | 'd';

interface Violation {
  rule: Rule;
  /** The importing file, or for a cycle its files joined by ` → `. */
  where: string;
  detail: string;
}

/**
 * Known violations with a date of removal, each matched by rule and by the
 * start of `where`. An entry that no longer matches anything fails the test,
 * so none outlives its reason.
 */
const ALLOWED: readonly { rule: Rule; where: string; why: string }[] = [];

const packages = await workspacePackages();
const imports = await sourceImports(packages);
const builtins = new Set(builtinModules);

function relativeCrossings(all: readonly SourceImport[]): Violation[] {
  return all.flatMap(({ file, specifier, target }): Violation[] => {
    if (specifier.split('/').includes('node_modules')) return [{ rule: 'a', where: file, detail: `${specifier} reaches into node_modules` }];
    if (!isRelative(specifier) || target === undefined || topFolderOf(file) === topFolderOf(target)) return [];
    return [{ rule: 'a', where: file, detail: `${specifier} crosses from ${topFolderOf(file) || '(root)'}/ into ${topFolderOf(target) || '(root)'}/` }];
  });
}

function undeclaredPackages(all: readonly SourceImport[]): Violation[] {
  return all.flatMap(({ file, specifier }): Violation[] => {
    if (isRelative(specifier) || specifier.startsWith('/') || specifier.startsWith('node:')) return [];
    const name = packageNameOf(specifier);
    const owner = ownerOf(packages, file);
    if (builtins.has(name) || owner.name === name || owner.declared.has(name)) return [];
    return [{ rule: 'b', where: file, detail: `${name} is not declared in ${owner.dir || '.'}/package.json` }];
  });
}

function serviceDependencies(all: readonly SourceImport[]): Violation[] {
  const allowed = (owner: string, name: string) => !name.startsWith('@medly/') || name === owner || (SERVICES.has(owner) && name === '@medly/shared');
  const constrained = (owner: string) => SERVICES.has(owner) || owner === '@medly/shared';
  const imported = all.flatMap(({ file, specifier }): Violation[] => {
    const owner = ownerOf(packages, file).name;
    const name = packageNameOf(specifier);
    return constrained(owner) && !allowed(owner, name) ? [{ rule: 'c', where: file, detail: `${owner} imports ${name}` }] : [];
  });
  const declared = packages.flatMap((workspace): Violation[] =>
    constrained(workspace.name)
      ? [...workspace.declared]
          .filter((name) => !allowed(workspace.name, name))
          .map((name) => ({ rule: 'c' as const, where: `${workspace.dir}/package.json`, detail: `${workspace.name} declares ${name}` }))
      : [],
  );
  return [...imported, ...declared];
}

/** Strongly connected components of the product's import graph (Tarjan); each of more than one file, or importing itself, is a cycle. */
function importCycles(all: readonly SourceImport[]): Violation[] {
  const isProduct = (file: string) => !NOT_PRODUCT.has(ownerOf(packages, file).name);
  const edges = new Map<string, Set<string>>();
  for (const { file, target } of all) {
    if (!isProduct(file) || target === undefined || !isProduct(target) || !fileExists(target)) continue;
    edges.set(file, (edges.get(file) ?? new Set()).add(target));
  }
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: Violation[] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(file, Math.min(lowLink.get(file) ?? 0, lowLink.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowLink.set(file, Math.min(lowLink.get(file) ?? 0, index.get(next) ?? 0));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const members: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = member === file ? undefined : stack.pop()) {
      onStack.delete(member);
      members.push(member);
    }
    if (members.length > 1 || edges.get(file)?.has(file)) {
      cycles.push({ rule: 'd', where: members.sort().join(' → '), detail: `${String(members.length)} file(s) import each other` });
    }
  };
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}

const isAllowed = (violation: Violation) => ALLOWED.some((entry) => entry.rule === violation.rule && violation.where.startsWith(entry.where));
/** One line per distinct violation (`uvu` and `uvu/assert` in one file are one). */
const report = (violations: readonly Violation[]) => [
  ...new Set(violations.filter((violation) => !isAllowed(violation)).map(({ where, detail }) => `${where}: ${detail}`)),
];

const found = {
  a: relativeCrossings(imports),
  b: undeclaredPackages(imports),
  c: serviceDependencies(imports),
  d: importCycles(imports),
};

test('the sources were read: every workspace package and its imports', () => {
  const names = packages.map((workspace) => workspace.name);
  for (const name of ['@medly/shared', '@medly/producers', '@medly/projector', '@medly/api', '@medly/importer', '@medly/tools', '@medly/system-tests']) {
    assert.ok(names.includes(name), name);
  }
  assert.ok(imports.some(({ file, specifier }) => file === 'projector/src/applyBatch.ts' && specifier === '@medly/shared/partitionOffset'));
  assert.ok(imports.some(({ file, specifier }) => file === 'importer/src/runImport.ts' && specifier === '@medly/producers/produce'));
});

test('(a) no relative import crosses a top-level folder or reaches into node_modules', () => {
  assert.equal(report(found.a), []);
});

test('(b) every package imports only what its package.json declares', () => {
  assert.equal(report(found.b), []);
});

test('(c) producers, projector and api depend on @medly/shared only; shared on nothing of ours', () => {
  assert.equal(report(found.c), []);
});

test('(d) no import cycle among product source files', () => {
  assert.equal(report(found.d), []);
});

test('every allowed exception still matches a violation (delete the ones that do not)', () => {
  const all = [...found.a, ...found.b, ...found.c, ...found.d];
  const stale = ALLOWED.filter((entry) => !all.some((violation) => violation.rule === entry.rule && violation.where.startsWith(entry.where)));
  assert.equal(stale, []);
});

test.run();
