import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execForm, keyValues, parseDockerfile, type Dockerfile } from './dockerfile.ts';
import { dockerfileProblems, type DockerfileExpectations } from './dockerfileProblems.ts';
import { dockerignorePatterns, isIgnored } from './dockerignore.ts';
import { baseImage, pnpmVersion, readRepoFile } from './repo.ts';

const apiText = readRepoFile('Dockerfile.api');
const projectorText = readRepoFile('Dockerfile.projector');

const apiRules: DockerfileExpectations = {
  baseImage,
  pnpmVersion,
  deployedPackages: ['@medly/api'],
  command: ['node', 'src/main.ts'],
  healthcheckUrl: 'http://127.0.0.1:3000/health',
};
const projectorRules: DockerfileExpectations = {
  baseImage,
  pnpmVersion,
  // A production install of the workspace, not a deploy (see the Dockerfile's header).
  deployedPackages: [],
  command: ['node', 'projector/src/main.ts'],
};

const runtime = (dockerfile: Dockerfile) => {
  const stage = dockerfile.stages.at(-1);
  if (!stage) throw new Error('no stage');
  return stage;
};

test('the reader handles directives, comments, continuations, options and both command forms', () => {
  const dockerfile = parseDockerfile(
    [
      '# syntax=docker/dockerfile:1',
      '# a comment ends the directives',
      'ARG BASE=node:1.2.3',
      'FROM node:1.2.3 AS build',
      'RUN --mount=type=cache,target=/store echo one \\',
      '  # a comment inside a continued line is dropped',
      '  && echo two',
      'ENV A=1 B="two words" C=three\\ words',
      'ENV LEGACY value with spaces',
      '',
      'from build',
      'copy --from=build /out ./',
      'HEALTHCHECK --interval=5s CMD ["node", "-e", "1"]',
      'CMD node main.js',
    ].join('\n'),
  );
  assert.equal(dockerfile.directives, { syntax: 'docker/dockerfile:1' });
  assert.equal(dockerfile.globalArgs.map((instruction) => instruction.args), ['BASE=node:1.2.3']);
  assert.equal(dockerfile.stages.map((stage) => [stage.image, stage.name, stage.line]), [
    ['node:1.2.3', 'build', 4],
    ['build', undefined, 11],
  ]);
  const [run, env, legacy] = dockerfile.stages[0]?.instructions ?? [];
  assert.equal(run?.options, [{ name: 'mount', value: 'type=cache,target=/store' }]);
  assert.is(run?.args, 'echo one   && echo two');
  assert.is(run?.line, 5);
  assert.equal(env && keyValues(env), [
    { key: 'A', value: '1' },
    { key: 'B', value: 'two words' },
    { key: 'C', value: 'three words' },
  ]);
  assert.equal(legacy && keyValues(legacy), [{ key: 'LEGACY', value: 'value with spaces' }]);
  const [copy, healthcheck, cmd] = dockerfile.stages[1]?.instructions ?? [];
  assert.is(copy?.keyword, 'COPY');
  assert.equal(copy?.options, [{ name: 'from', value: 'build' }]);
  assert.equal(healthcheck?.options, [{ name: 'interval', value: '5s' }]);
  assert.equal(execForm(healthcheck?.args.replace(/^CMD\s+/, '') ?? ''), ['node', '-e', '1']);
  assert.is(cmd && execForm(cmd.args), undefined);
});

test('the reader refuses what it would misread', () => {
  assert.throws(() => parseDockerfile('FROM a:1.0\nRUN <<EOF\necho\nEOF\n'), /heredocs/);
  assert.throws(() => parseDockerfile('FROM a:1.0\nRUN echo \\\n'), /ends inside a continued instruction/);
  assert.throws(() => parseDockerfile('RUN echo\nFROM a:1.0\n'), /before the first FROM/);
  assert.throws(() => parseDockerfile('FROM a:1.0 AS\n'), /cannot read FROM/);
});

test('Dockerfile.api: pinned multi-stage build, pnpm deploy, non-root runtime with a healthcheck', () => {
  const dockerfile = parseDockerfile(apiText);
  assert.equal(dockerfileProblems(dockerfile, apiRules), []);
  assert.is(runtime(dockerfile).instructions.find((instruction) => instruction.keyword === 'EXPOSE')?.args, '3000');
});

test('Dockerfile.projector: importer, projector, producers and migrations in one non-root image', () => {
  const dockerfile = parseDockerfile(projectorText);
  assert.equal(dockerfileProblems(dockerfile, projectorRules), []);
  assert.ok(
    (dockerfile.stages[0]?.instructions ?? []).some((instruction) => /pnpm install --frozen-lockfile --prod --offline --filter "@medly\/importer\.\.\."/.test(instruction.args)),
    'a production install of the importer and what it imports',
  );
  const instructions = runtime(dockerfile).instructions;
  assert.is(instructions.find((instruction) => instruction.keyword === 'WORKDIR')?.args, '/app');
  // The workspace as it is: projector/src/migrate.ts resolves ../../migrations from its own folder, /app/migrations.
  assert.ok(instructions.some((instruction) => instruction.keyword === 'COPY' && instruction.args === '/repo/ ./'));
  assert.ok(instructions.some((instruction) => instruction.keyword === 'RUN' && /chown node:node reports/.test(instruction.args)));
});

test('both Dockerfiles start their build stage alike, so either build reuses the other one’s fetch layers', () => {
  const prefixOf = (text: string) => {
    const instructions = parseDockerfile(text).stages[0]?.instructions ?? [];
    const copyAll = instructions.findIndex((instruction) => instruction.keyword === 'COPY' && instruction.args === '. .');
    return instructions.slice(0, copyAll + 1).map(({ keyword, options, args }) => ({ keyword, options, args }));
  };
  assert.ok(prefixOf(apiText).length > 4);
  assert.equal(prefixOf(apiText), prefixOf(projectorText));
});

test('the rules catch a broken Dockerfile', () => {
  const problemsOf = (text: string) => dockerfileProblems(parseDockerfile(text), apiRules).join('\n');
  const broken = (from: string | RegExp, to: string) => {
    const text = apiText.replace(from, to);
    assert.is.not(text, apiText, `the mutation ${String(from)} changed nothing`);
    return problemsOf(text);
  };
  assert.match(broken('USER node', 'USER root'), /runs as root/);
  assert.match(broken(/^USER node\n/m, ''), /runs as root/);
  assert.match(broken(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, ''), /no HEALTHCHECK/);
  assert.match(broken('/health', '/'), /no HEALTHCHECK/);
  assert.match(broken('FROM node:24.21.0-bookworm-slim AS runtime', 'FROM node:latest AS runtime'), /not pinned/);
  assert.match(broken('FROM node:24.21.0-bookworm-slim AS runtime', 'FROM node:24 AS runtime'), /not pinned/);
  assert.match(broken('FROM node:24.21.0-bookworm-slim AS runtime', 'FROM node:22.1.0-bookworm-slim AS runtime'), /expected node:/);
  assert.match(broken('ENV NODE_ENV=production', 'ENV NODE_ENV=production API_TOKEN=0123456789abcdef0123'), /API_TOKEN bakes a secret/);
  assert.match(broken('ARG PNPM_VERSION=', 'ARG DB_PASSWORD=hunter2\nARG PNPM_VERSION='), /DB_PASSWORD bakes a secret/);
  assert.match(broken(`ARG PNPM_VERSION=${pnpmVersion}`, 'ARG PNPM_VERSION=9.0.0'), /PNPM_VERSION is 9\.0\.0/);
  assert.match(broken('RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch', 'RUN pnpm fetch'), /without a BuildKit cache mount/);
  assert.match(broken('pnpm install --frozen-lockfile', 'pnpm install'), /without --frozen-lockfile/);
  assert.match(broken('--filter @medly/api --prod', '--filter @medly/api'), /no `pnpm deploy --filter @medly\/api --prod`/);
  assert.match(broken('COPY --from=build', 'COPY --from=builder'), /names no earlier stage/);
  assert.match(broken('ENV npm_config_store_dir', 'ENV NODE_ENV=production npm_config_store_dir'), /NODE_ENV set in a build stage/);
  assert.match(broken(/^ENV NODE_ENV=production\n/m, ''), /NODE_ENV=production is missing/);
  assert.match(broken('CMD ["node", "src/main.ts"]', 'CMD node src/main.ts'), /CMD is node src\/main\.ts/);
  assert.match(broken('COPY . .', 'COPY . .\nCOPY data/ ./data/'), /copies data or \.env/);
  assert.match(problemsOf(apiText.slice(apiText.indexOf('FROM node:24.21.0-bookworm-slim AS runtime'))), /single stage/);
});

test('.dockerignore keeps installs, history, data and secrets out of the build context, and the sources in', () => {
  const patterns = dockerignorePatterns();
  for (const path of ['node_modules/x', 'api/node_modules/x', '.git/HEAD', '.tools/node', '.stack/kafka.log', 'data/user_data/user_data.json', '.env', 'shared/dist/config.js', 'api/src/app.test.ts', 'reports/r.json']) {
    assert.ok(isIgnored(patterns, path), `${path} should stay out of the build context`);
  }
  const needed = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'tsconfig.base.json', 'shared/tsconfig.json', 'shared/src/config.ts', 'api/src/main.ts', 'projector/src/main.ts', 'producers/src/main.ts', 'migrations/001_init.sql'];
  for (const text of [apiText, projectorText]) {
    for (const stage of parseDockerfile(text).stages) {
      for (const copy of stage.instructions.filter((instruction) => instruction.keyword === 'COPY' && instruction.options.length === 0)) {
        needed.push(...copy.args.split(/\s+/).slice(0, -1).filter((source) => source !== '.').map((source) => source.replace(/\/$/, '')));
      }
    }
  }
  for (const path of needed) assert.not.ok(isIgnored(patterns, path), `${path} is needed by the image build`);
});

test.run();
