import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTimeOutput } from './measuredProcess.ts';

test('reads peak RSS (KiB) and CPU seconds from the last line of /usr/bin/time', () => {
  assert.equal(parseTimeOutput('123456 1.50 0.25\n'), { peakRssBytes: 123456 * 1024, userSeconds: 1.5, systemSeconds: 0.25 });
  assert.equal(parseTimeOutput('Command exited with non-zero status 1\n2048 0.10 0.02\n').peakRssBytes, 2048 * 1024);
  assert.throws(() => parseTimeOutput('garbage'));
});

test.run();
