import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allSettings, ConfigError, configOf, loadConfig } from './config.ts';

const everySetting = allSettings;

test('defaults fill every variable of an empty environment', () => {
  const config = loadConfig(everySetting, {});
  assert.equal(config.KAFKA_BROKERS, ['127.0.0.1:9092']);
  assert.is(config.DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/medly');
  assert.is(config.TOPIC_PREFIX, 'medly.');
  assert.is(config.PORT, 3000);
  assert.is(config.MAX_RECORD_BYTES, 1024 * 1024);
  assert.is(config.SCHEMA_REGISTRY_URL, undefined);
  assert.is(config.API_TOKEN, undefined);
});

test('values are parsed and coerced', () => {
  const config = loadConfig(everySetting, {
    KAFKA_BROKERS: 'a:9092, b:9093',
    PORT: '8080',
    SCHEMA_REGISTRY_URL: 'http://localhost:8081',
    CORS_ORIGINS: 'https://a.example, https://b.example',
  });
  assert.equal(config.KAFKA_BROKERS, ['a:9092', 'b:9093']);
  assert.is(config.PORT, 8080);
  assert.is(config.SCHEMA_REGISTRY_URL, 'http://localhost:8081');
  assert.equal(config.CORS_ORIGINS, ['https://a.example', 'https://b.example']);
});

test('an empty SCHEMA_REGISTRY_URL or API_TOKEN means none (compose passes unset variables as empty)', () => {
  const config = loadConfig(everySetting, { SCHEMA_REGISTRY_URL: '', API_TOKEN: '' });
  assert.is(config.SCHEMA_REGISTRY_URL, undefined);
  assert.is(config.API_TOKEN, undefined);
});

test('every bad variable is listed in one error', () => {
  try {
    loadConfig(everySetting, {
      DATABASE_URL: 'mysql://x',
      KAFKA_BROKERS: 'no-port',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      TOPIC_PREFIX: 'has space',
      API_TOKEN: 'short',
    });
    assert.unreachable('loadConfig accepted bad values');
  } catch (error) {
    assert.instance(error, ConfigError);
    const variables = (error as ConfigError).issues.map((issue) => issue.split(':')[0]).sort();
    assert.equal(variables, ['API_TOKEN', 'DATABASE_URL', 'KAFKA_BROKERS.0', 'LOG_LEVEL', 'PORT', 'TOPIC_PREFIX']);
    assert.match((error as Error).message, /PORT/);
  }
});

test('a service parses only its own settings: a bad setting of another service does not stop it', () => {
  const projector = configOf('DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL');
  const config = loadConfig(projector, { API_TOKEN: 'short', PORT: 'eighty', LOG_LEVEL: 'debug' });
  assert.equal(Object.keys(config).sort(), ['DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL']);
  assert.is(config.LOG_LEVEL, 'debug');
});

test.run();
