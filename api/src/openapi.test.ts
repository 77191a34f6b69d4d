import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { createLogger } from '@medly/shared/logger';
import { createApp } from './app.ts';
import { anonymousAppConfig } from './testing/credentials.ts';
import { DOCUMENTED_ROUTES } from './testing/documentedRoutes.ts';
import { unusedProfileEvents } from './testing/profileEvents.ts';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

const { openApiDocument } = createApp({
  pool: {} as never,
  config: anonymousAppConfig(),
  logger: createLogger({ level: 'silent', name: 'api-test' }),
  kafka: { endOffsets: () => Promise.resolve([]) },
  profileEvents: unusedProfileEvents('unused'),
});
const document = openApiDocument();

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; description?: string; schema?: { example?: unknown; default?: unknown } }[];
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
);

test('the document is valid OpenAPI 3.1', async () => {
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);
  assert.equal(result.errors, undefined);
  assert.ok(result.valid);
  assert.is(validator.version, '3.1');
});

test('every DESIGN §6 route is documented, plus progress', () => {
  assert.equal(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort(), DOCUMENTED_ROUTES);
});

test('every operation is described, and every parameter has a description and an example or default', () => {
  for (const { method, path, operation } of operations) {
    const name = `${method} ${path}`;
    assert.ok(operation.operationId && operation.summary && operation.description && operation.tags?.length, name);
    for (const parameter of operation.parameters ?? []) {
      assert.ok(parameter.description, `${name} ${parameter.name} has a description`);
      if (parameter.name !== 'cursor') {
        assert.ok(parameter.schema?.example !== undefined || parameter.schema?.default !== undefined, `${name} ${parameter.name} has an example`);
      }
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      assert.ok(response.description, `${name} ${status} has a description`);
      if (Number(status) >= 400) {
        assert.ok(response.content?.['application/problem+json'], `${name} ${status} is problem+json`);
      }
    }
    assert.ok(operation.responses['500'], `${name} documents 500`);
  }
});

test('every component schema compiles as JSON Schema 2020-12 (strict, with OpenAPI\'s example keyword)', () => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addVocabulary(['example']);
  const local = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"https://medly.invalid/components#/$defs/')) as object;
  const schemas = document.components?.schemas ?? {};
  ajv.addSchema({ $id: 'https://medly.invalid/components', $defs: local(schemas) });
  for (const [name, schema] of Object.entries(schemas)) {
    assert.not.throws(() => ajv.compile(local(schema)), name);
  }
});

test('no component schema is itself nullable (a nullable use of it must not leak into the component)', () => {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    const type = (schema as { type?: unknown }).type;
    assert.not.ok(Array.isArray(type) && type.includes('null'), name);
  }
});

test('user routes declare their security schemes (a user token or a service token) and 401/403; the others declare none', () => {
  for (const { method, path, operation } of operations) {
    const name = `${method} ${path}`;
    const security = (operation as { security?: unknown }).security;
    const statuses = Object.keys(operation.responses);
    assert.ok(statuses.includes('429'), `${name} documents its rate limit`);
    if (path.startsWith('/users/')) {
      assert.equal(security, [{ userToken: [] }, { serviceToken: [] }], name);
      for (const status of ['401', '403']) assert.ok(statuses.includes(status), `${name} documents ${status}`);
    } else {
      assert.equal(security, [], name);
      assert.not.ok(statuses.includes('401') || statuses.includes('403'), name);
    }
  }
  const schemes = document.components?.securitySchemes as Record<string, { type: string; scheme: string; bearerFormat?: string }>;
  assert.equal(schemes.userToken && [schemes.userToken.type, schemes.userToken.scheme, schemes.userToken.bearerFormat], ['http', 'bearer', 'JWT']);
  assert.equal(schemes.serviceToken && [schemes.serviceToken.type, schemes.serviceToken.scheme], ['http', 'bearer']);
});

test.run();
