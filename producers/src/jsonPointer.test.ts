import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { childPointer, escapePointerToken } from './jsonPointer.ts';

test('RFC 6901: ~ is ~0 and / is ~1, in that order', () => {
  assert.is(escapePointerToken('a/b~c'), 'a~1b~0c');
  assert.is(escapePointerToken('~1'), '~01', 'an existing "~1" is not mistaken for a slash');
  assert.is(childPointer('', 0, 'items', 3), '/0/items/3');
  assert.is(childPointer('/targets', 'users/u1/subjectsWeb'), '/targets/users~1u1~1subjectsWeb');
});

test.run();
