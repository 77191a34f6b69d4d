/**
 * Registry mode against a real Confluent-compatible Schema Registry (DESIGN
 * §4, §7): Apicurio Registry's ccompat API from the local stack
 * (TEST_SCHEMA_REGISTRY_URL), or the registry of the test containers. The
 * codec's unit tests use the library's in-memory mock; these prove the
 * same code against a server: the whole import produces registry-framed
 * values that the projector reads back into the tables, and a schema that
 * breaks BACKWARD compatibility with the subject's registered one is refused
 * when the producer starts, with a clear, non-retryable error.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateEvent } from '@medly/shared/codec';
import { AppError, isRetryable } from '@medly/shared/errors';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createSchemaRegistryClient, createSchemaRegistryCodec, jsonSchemaOf, subjectOf } from '@medly/shared/schemaRegistryCodec';
import { createTestDatabase, type TestDatabase } from '@medly/shared/testing/database';
import { rejects } from '@medly/shared/testing/rejects';
import { sampleLesson } from '@medly/shared/testing/sampleEvents';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { topicName } from '@medly/shared/topics';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';

const ROOT = resolve(import.meta.dirname, '../..');
const logger = createLogger({ level: 'warn', name: 'registry-test' });
const cleanup: (() => Promise<unknown>)[] = [];

test.after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function registryUrl(): Promise<string> {
  const { schemaRegistryUrl } = await testServices();
  if (!schemaRegistryUrl) {
    throw new Error('no Schema Registry: set TEST_SCHEMA_REGISTRY_URL (`pnpm stack:up` starts one; its URL is printed) or run the tests with testcontainers');
  }
  return schemaRegistryUrl;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, file), ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      done({ code, output });
    });
  });
}

async function firstValue(brokers: string[], topic: string): Promise<Buffer> {
  const kafka = createKafka({ brokers, clientId: 'registry-test', logger });
  const consumer = kafka.consumer({ groupId: `${topic}.registry-test` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<Buffer>((done, fail) => {
      const timer = setTimeout(() => {
        fail(new Error(`no message on ${topic} within 30 s`));
      }, 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value) {
            clearTimeout(timer);
            done(message.value);
          }
          await Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

test('produce → project in registry mode: the import writes registry-framed values and the projector reads them into the tables', async () => {
  const url = await registryUrl();
  const services = await testServices();
  const prefix = uniqueTopicPrefix('registry');
  cleanup.push(() => deleteTopicsUnder(services.kafkaBrokers, prefix));
  const database: TestDatabase = await createTestDatabase(services.adminDatabaseUrl, 'registry');
  cleanup.push(() => database.drop());
  const folder = await mkdtemp(join(tmpdir(), 'registry-import-'));
  cleanup.push(() => rm(folder, { recursive: true, force: true }));
  const reportFile = join(folder, 'report.json');

  const imported = await run('importer/src/main.ts', ['--data-dir', 'data', '--report-file', reportFile], {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: services.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: url,
    TOPIC_PREFIX: prefix,
  });
  assert.is(imported.code, 0, imported.output.slice(-3_000));
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as { tables: Record<string, { inserted: number }> };
  assert.is(report.tables.attempts?.inserted, 1061);
  assert.ok((report.tables.items?.inserted ?? 0) > 5_000);
  assert.is(report.tables.lessons?.inserted, 279);

  const client = createSchemaRegistryClient(url);
  const subject = subjectOf(prefix, 'lessons');
  assert.ok((await client.getAllSubjects()).includes(subject), `${subject} registered`);
  assert.is(await client.getCompatibility(subject), 'BACKWARD');
  const { id } = await client.getLatestSchemaMetadata(subject);
  const value = await firstValue(services.kafkaBrokers, topicName(prefix, 'lessons'));
  assert.is(value[0], 0, 'magic byte');
  assert.is(value.readUInt32BE(1), id, 'the registered schema id follows it');
});

test('a schema that breaks BACKWARD compatibility is refused at produce time, clearly and for good', async () => {
  const url = await registryUrl();
  const services = await testServices();
  const prefix = uniqueTopicPrefix('registry_refused');
  cleanup.push(() => deleteTopicsUnder(services.kafkaBrokers, prefix));
  const client = createSchemaRegistryClient(url);
  const subject = subjectOf(prefix, 'lessons');

  // What an earlier release registered: the same events, but `title` was a number.
  // Ours (a string) cannot read what that one allowed.
  const earlier = jsonSchemaOf('lessons') as { properties: Record<string, { type?: unknown }> };
  assert.ok(earlier.properties.title, 'lessons have a title');
  earlier.properties.title = { type: 'number' };
  await client.register(subject, { schemaType: 'JSON', schema: JSON.stringify(earlier) }, false);

  const codec = createSchemaRegistryCodec({ client, topicPrefix: prefix });
  const error = await rejects(codec.encode('lessons', validateEvent('lessons', sampleLesson)), /cannot register the schema of .*curriculum\.lessons-value.*[Ii]ncompatible.*409/);
  assert.instance(error, AppError);
  assert.is((error as AppError).code, 'schema_registry');
  assert.not.ok(isRetryable(error), 'an incompatible schema is not retried');
  assert.is((await client.getAllVersions(subject)).length, 1, 'nothing new registered');

  // The producer itself: the course source fails with that message and a non-zero exit.
  const produced = await run('producers/src/main.ts', ['--data-dir', 'data', '--source', 'course'], {
    KAFKA_BROKERS: services.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: url,
    TOPIC_PREFIX: prefix,
  });
  assert.is.not(produced.code, 0, produced.output.slice(-2_000));
  assert.match(produced.output, /cannot register the schema of .*curriculum\.lessons-value/);
});

test.run();
