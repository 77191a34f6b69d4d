import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseChildren, parseHighWaterBytes, peaksByLabel, processLabel } from './processTree.ts';

test('VmHWM in bytes, NaN when the process has none', () => {
  assert.is(parseHighWaterBytes('Name:\tnode\nVmPeak:\t 900 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 100 kB\n'), 204800 * 1024);
  assert.ok(Number.isNaN(parseHighWaterBytes('Name:\tnode\nState:\tZ (zombie)\n')));
});

test('children lists', () => {
  assert.equal(parseChildren('12 345 '), [12, 345]);
  assert.equal(parseChildren(''), []);
});

test('processes are named by their entry file, else their program', () => {
  assert.is(processLabel('node\0--max-old-space-size=320\0importer/src/main.ts\0--data-dir\0/tmp/medly-1\0'), 'importer');
  assert.is(processLabel('/usr/bin/node\0--max-old-space-size=320\0/work/x/projector/src/main.ts\0'), 'projector');
  assert.is(processLabel('node\0--max-old-space-size=320\0projector/src/replay.ts\0'), 'replay');
  assert.is(processLabel('/usr/bin/time\0-f\0%M\0pnpm\0'), 'time');
  assert.is(processLabel('node\0/opt/pnpm/bin/pnpm.cjs\0run\0import\0'), 'pnpm.cjs');
  assert.is(processLabel('sh\0-c\0node --max-old-space-size=320 importer/src/main.ts --data-dir x\0'), 'sh');
  assert.is(processLabel(''), '?');
});

test('the largest peak per label, largest first', () => {
  const peaks = peaksByLabel([
    { label: 'projector', pid: 2, peakRssBytes: 300 },
    { label: 'importer', pid: 1, peakRssBytes: 200 },
    { label: 'projector', pid: 3, peakRssBytes: 400 },
  ]);
  assert.equal(
    peaks.map((peak) => [peak.label, peak.peakRssBytes]),
    [
      ['projector', 400],
      ['importer', 200],
    ],
  );
});

test.run();
