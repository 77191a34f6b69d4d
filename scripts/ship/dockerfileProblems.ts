/**
 * What the project's Dockerfiles must hold to, as a list of problems (empty
 * when all is well), so scripts/ship.test.ts can show both that the real files
 * pass and that each rule catches a broken file.
 */
import { execForm, keyValues, type Dockerfile, type Instruction, type Stage } from './dockerfile.ts';
import { isPinned } from './images.ts';

export interface DockerfileExpectations {
  /** The one base image every stage starts from. */
  baseImage: string;
  /** package.json "packageManager" pnpm version. */
  pnpmVersion: string;
  /** Workspace packages the build deploys with `pnpm deploy --filter <name> --prod`. */
  deployedPackages: string[];
  /** CMD of the final stage, exec form. */
  command: string[];
  /** When set, the final stage must have a HEALTHCHECK fetching this URL. */
  healthcheckUrl?: string;
}

const SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
const PNPM_STORE_COMMAND = /\bpnpm\b[^&|;]*\b(fetch|install|deploy)\b/;

export function dockerfileProblems(dockerfile: Dockerfile, expect: DockerfileExpectations): string[] {
  const problems: string[] = [];
  const { stages } = dockerfile;
  const final = stages.at(-1);
  if (!final) return ['no FROM: not a Dockerfile'];
  if (stages.length < 2) problems.push('single stage: build tools and sources would ship in the image');

  const names = new Set<string>();
  for (const stage of stages) {
    if (!names.has(stage.image)) {
      if (!isPinned(stage.image)) problems.push(`line ${stage.line}: FROM ${stage.image} is not pinned to a version`);
      else if (stage.image !== expect.baseImage) problems.push(`line ${stage.line}: FROM ${stage.image}, expected ${expect.baseImage}`);
    }
    problems.push(...stageProblems(stage, names, stage === final));
    if (stage.name !== undefined) {
      if (names.has(stage.name)) problems.push(`line ${stage.line}: stage name ${stage.name} is used twice`);
      names.add(stage.name);
    }
  }

  for (const instruction of [...dockerfile.globalArgs, ...stages.flatMap((stage) => stage.instructions)]) {
    if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') continue;
    for (const { key, value } of keyValues(instruction)) {
      if (SECRET_NAME.test(key) && value) problems.push(`line ${instruction.line}: ${instruction.keyword} ${key} bakes a secret into the image`);
    }
  }

  const pnpmArg = argDefault(dockerfile, 'PNPM_VERSION');
  if (pnpmArg !== expect.pnpmVersion) problems.push(`ARG PNPM_VERSION is ${String(pnpmArg)}, package.json wants pnpm ${expect.pnpmVersion}`);
  const runs = stages.flatMap((stage) => stage.instructions).filter((instruction) => instruction.keyword === 'RUN');
  for (const name of expect.deployedPackages) {
    const deploy = new RegExp(`\\bdeploy --filter ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} --prod\\b`);
    if (!runs.some((run) => deploy.test(run.args))) problems.push(`no \`pnpm deploy --filter ${name} --prod\``);
  }

  problems.push(...finalStageProblems(final, expect));
  return problems;
}

function stageProblems(stage: Stage, earlierStages: Set<string>, isFinal: boolean): string[] {
  const problems: string[] = [];
  const storeDir = envValue(stage, 'npm_config_store_dir');
  for (const instruction of stage.instructions) {
    const { keyword, args, line } = instruction;
    if (keyword === 'COPY' || keyword === 'ADD') {
      const from = option(instruction, 'from');
      if (from !== undefined && !earlierStages.has(from)) problems.push(`line ${line}: COPY --from=${from} names no earlier stage`);
      if (from === undefined && /(^|\s)(\.\/)?(data|\.env)\b/.test(args)) problems.push(`line ${line}: copies data or .env into the image`);
    }
    if (keyword === 'RUN' && PNPM_STORE_COMMAND.test(args)) {
      const mount = option(instruction, 'mount') ?? '';
      if (!mount.includes('type=cache') || storeDir === undefined || !mount.includes(`target=${storeDir}`)) {
        problems.push(`line ${line}: pnpm runs without a BuildKit cache mount on its store (${String(storeDir)})`);
      }
      if (/\bpnpm install\b/.test(args) && !args.includes('--frozen-lockfile')) problems.push(`line ${line}: pnpm install without --frozen-lockfile`);
    }
    if (!isFinal && keyword === 'ENV' && keyValues(instruction).some(({ key }) => key === 'NODE_ENV')) {
      problems.push(`line ${line}: NODE_ENV set in a build stage (pnpm would skip devDependencies)`);
    }
  }
  return problems;
}

function finalStageProblems(stage: Stage, expect: DockerfileExpectations): string[] {
  const problems: string[] = [];
  if (envValue(stage, 'NODE_ENV') !== 'production') problems.push('final stage: ENV NODE_ENV=production is missing');
  const user = stage.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1);
  const userName = user?.args.split(':')[0];
  if (userName === undefined || userName === 'root' || userName === '0') problems.push('final stage: runs as root (no USER, or USER root)');
  const command = last(stage, 'CMD');
  const commandForm = command ? execForm(command.args) : undefined;
  if (JSON.stringify(commandForm) !== JSON.stringify(expect.command)) {
    problems.push(`final stage: CMD is ${command?.args ?? 'missing'}, expected ${JSON.stringify(expect.command)}`);
  }
  if (expect.healthcheckUrl !== undefined) {
    const healthcheck = last(stage, 'HEALTHCHECK');
    const probe = healthcheck?.args.replace(/^CMD\s+/, '');
    const probeCommand = probe?.startsWith('[') ? execForm(probe)?.join(' ') : probe;
    const url = new URL(expect.healthcheckUrl);
    const fetchesUrl = [url.hostname, url.port, url.pathname].every((part) => probeCommand?.includes(part));
    if (!healthcheck || !healthcheck.args.startsWith('CMD') || !fetchesUrl) {
      problems.push(`final stage: no HEALTHCHECK probing ${expect.healthcheckUrl}`);
    }
  }
  return problems;
}

function last(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
}

function option(instruction: Instruction, name: string): string | undefined {
  return instruction.options.find((candidate) => candidate.name === name)?.value;
}

function envValue(stage: Stage, key: string): string | undefined {
  const pairs = stage.instructions.filter((instruction) => instruction.keyword === 'ENV').flatMap(keyValues);
  return pairs.filter((pair) => pair.key === key).at(-1)?.value;
}

function argDefault(dockerfile: Dockerfile, key: string): string | undefined {
  const args = [...dockerfile.globalArgs, ...dockerfile.stages.flatMap((stage) => stage.instructions)].filter(
    (instruction) => instruction.keyword === 'ARG',
  );
  return args.flatMap(keyValues).find((pair) => pair.key === key)?.value;
}
