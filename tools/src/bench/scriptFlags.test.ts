import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeFlagsOf } from './scriptFlags.ts';

test('the flags between node and the file, not the arguments after it', () => {
  const scripts = { api: 'node --max-semi-space-size=16 api/src/main.ts --verbose', plain: 'node x.ts', other: 'bash x.sh' };
  assert.equal(nodeFlagsOf('api', scripts), ['--max-semi-space-size=16']);
  assert.equal(nodeFlagsOf('plain', scripts), []);
  assert.throws(() => nodeFlagsOf('other', scripts), /does not start with node/);
});

test('package.json gives the services heap bounds', () => {
  for (const script of ['api', 'projector', 'import', 'replay']) assert.ok(nodeFlagsOf(script).some((flag) => flag.startsWith('--max-semi-space-size=')), script);
});

test.run();
