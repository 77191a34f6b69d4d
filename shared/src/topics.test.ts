import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { joinKey, splitKey, topics } from './topics.ts';

test('composite keys read as before for ordinary ids', () => {
  assert.is(joinKey(['paper', 'aqaGCSEBio_1', 'q1'], '/'), 'paper/aqaGCSEBio_1/q1');
  assert.is(joinKey(['user_data/u.json', '/targets/users~1a'], '#'), 'user_data/u.json#/targets/users~1a');
});

test('a composite key splits back into exactly its parts, whatever the ids hold', () => {
  const awkward = ['a/b', '%2F', 'c#d%', '', '%25%', '//'];
  for (const separator of ['/', '#'] as const) {
    for (const first of awkward) {
      for (const second of awkward) {
        const parts = [first, second, 'tail'];
        assert.equal(splitKey(joinKey(parts, separator), separator), parts, `${separator} ${JSON.stringify(parts)}`);
      }
    }
  }
});

test('every topic parses its own keys back into the parts it was built from', () => {
  const stem = { kind: 'paper', containerId: 'p/1', stemId: 'q%1' } as const;
  assert.equal(topics.questions.keyParts(topics.questions.key(stem as never)), ['paper', 'p/1', 'q%1']);
  const rejection = { file: 'a#b.json', pointer: '/targets/x#y' };
  assert.equal(topics.rejections.keyParts(topics.rejections.key(rejection as never)), ['a#b.json', '/targets/x#y']);
});

test.run();
