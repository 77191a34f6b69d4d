/**
 * Builds one of our Dockerfiles without a Docker engine, to prove its commands
 * work on the current sources: the build context is the repository filtered
 * by .dockerignore, and the absolute folders the file uses (/repo, /out, /app,
 * the pnpm store) are mapped into a temporary folder. The build stage runs in
 * full; of the final stage, WORKDIR and COPY are applied and the rest
 * (ENV, USER, CMD, a RUN that needs the image's `node` user) is left to the
 * engine: the rules in dockerfileProblems.ts cover those.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { keyValues, parseDockerfile, type Instruction } from './dockerfile.ts';
import { dockerignorePatterns, isIgnored } from './dockerignore.ts';
import { repoRoot } from './repo.ts';

export interface EmulatedImage {
  /** The final stage's working directory, mapped. */
  workdir: string;
  /** Every build command and its output, for failure messages. */
  log: string[];
}

/**
 * @param paths each absolute folder of the Dockerfile → where it lives here, e.g.
 *   `{ '/repo': …, '/out': …, '/app': …, '/pnpm/store': the machine's store }`
 */
export function emulateBuild(dockerfileText: string, workDir: string, paths: Record<string, string>): EmulatedImage {
  const { stages } = parseDockerfile(dockerfileText);
  const [build, final] = [stages[0], stages.at(-1)];
  if (!build || !final || build === final) throw new Error('expected a build stage and a final stage');
  const context = join(workDir, 'context');
  const patterns = dockerignorePatterns();
  cpSync(repoRoot, context, { recursive: true, filter: (source) => !isIgnored(patterns, relative(repoRoot, source)) });

  const mapped = (text: string) =>
    Object.entries(paths).reduce(
      (result, [from, to]) => result.replace(new RegExp(`(?<![\\w./-])${from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?=/|\\s|$)`, 'g'), to),
      text,
    );
  const env: Record<string, string | undefined> = { ...process.env };
  const log: string[] = [];
  let cwd = workDir;
  const run = (command: string) => {
    log.push(`$ ${command}`);
    try {
      log.push(execFileSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`build step failed: ${command}\n${log.join('\n')}\n${stdout}\n${stderr}`, { cause: error });
    }
  };
  const workdir = (instruction: Instruction) => {
    cwd = resolve(cwd, mapped(instruction.args));
    mkdirSync(cwd, { recursive: true });
  };

  for (const instruction of build.instructions) {
    if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
      for (const { key, value } of keyValues(instruction)) env[key] = mapped(value ?? '');
    } else if (instruction.keyword === 'WORKDIR') {
      workdir(instruction);
    } else if (instruction.keyword === 'COPY') {
      copy(instruction, context, cwd, mapped);
    } else if (instruction.keyword === 'RUN') {
      // Installing pnpm is the engine's job; the PATH's pnpm stands in when it is the same version.
      if (/\bnpm install --global\b.*\bpnpm@/.test(instruction.args)) run('test "$(pnpm --version)" = "$PNPM_VERSION"');
      else run(mapped(instruction.args));
    } else {
      throw new Error(`line ${instruction.line}: ${instruction.keyword} is not emulated in a build stage`);
    }
  }

  cwd = workDir;
  for (const instruction of final.instructions) {
    if (instruction.keyword === 'WORKDIR') workdir(instruction);
    else if (instruction.keyword === 'COPY') copy(instruction, instruction.options.length > 0 ? '/' : context, cwd, mapped);
  }
  return { workdir: cwd, log };
}

/** COPY: a folder's contents go into the destination; a file goes into it when it names a folder. */
function copy(instruction: Instruction, root: string, cwd: string, mapped: (text: string) => string): void {
  const unknown = instruction.options.find((option) => option.name !== 'from');
  if (unknown) throw new Error(`line ${instruction.line}: COPY --${unknown.name} is not emulated`);
  const sources = instruction.args.split(/\s+/);
  const target = mapped(sources.pop() ?? '.');
  const destination = resolve(cwd, target);
  const intoFolder = target.endsWith('/') || target === '.' || sources.length > 1;
  for (const source of sources) {
    // From the context, or (COPY --from) from the build stage's mapped folders.
    const from = root === '/' ? mapped(source) : join(root, source);
    if (statSync(from).isDirectory()) cpSync(from, destination, { recursive: true });
    else cpSync(from, intoFolder ? join(destination, basename(source)) : destination);
  }
}
