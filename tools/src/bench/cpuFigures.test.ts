import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBreakdown, parseListeningInodes, parseMachineTicks, partyOf, postgresBackgroundRole } from './cpuFigures.ts';
import { parseCpuSeconds, parseParentPid } from './processTree.ts';

test('a process stat: utime + stime in seconds and the parent, past a command name with spaces and parentheses', () => {
  const stat = '4242 (postgres: a (b) c) S 2208 4242 4242 0 -1 4194560 900 0 0 0 150 25 0 0 20 0 1 0 5000 0 0\n';
  assert.is(parseCpuSeconds(stat), 1.75);
  assert.is(parseParentPid(stat), 2208);
  assert.ok(Number.isNaN(parseCpuSeconds('')));
});

test('/proc/stat: idle counts iowait, the total leaves out guest time (already in user)', () => {
  const ticks = parseMachineTicks('cpu  100 10 50 800 40 0 5 0 7 0\ncpu0 50 5 25 400 20 0 3 0 0 0\nintr 1\n');
  assert.equal(ticks, { idle: 840, total: 1005 });
  assert.throws(() => parseMachineTicks('intr 1\n'));
});

test('the socket listening on a port, not the connections to it', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   3: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12767 1 0 100 0 0 10 0',
    ' 123: 0100007F:86E6 0100007F:2384 06 00000000:00000000 03:000010C1 00000000     0        0 0 3 0',
    ' 124: 0100007F:2384 0100007F:86F0 01 00000000:00000000 00:00000000 00000000     0        0 555 1 0',
  ].join('\n');
  assert.equal(parseListeningInodes(table, 9092), ['12767']);
  assert.equal(parseListeningInodes(table, 5432), []);
});

test('Postgres background processes by title; backends and workers are not', () => {
  assert.is(postgresBackgroundRole('postgres: 15/main: walwriter \0\0\0'), 'walwriter');
  assert.is(postgresBackgroundRole('postgres: background writer '), 'background writer');
  assert.is(postgresBackgroundRole('postgres: 15/main: checkpointer '), 'checkpointer');
  assert.is(postgresBackgroundRole('postgres: 15/main: postgres medly 127.0.0.1(36878) idle'), undefined);
  assert.is(postgresBackgroundRole('postgres: 15/main: logical replication launcher '), undefined);
});

test('processes are counted to their party: launchers together, everyone else by name', () => {
  assert.is(partyOf('pnpm.cjs'), 'launcher');
  assert.is(partyOf('time'), 'launcher');
  assert.is(partyOf('sh'), 'launcher');
  assert.is(partyOf('projector'), 'projector');
  assert.is(partyOf('walwriter'), 'walwriter');
});

test('sums by party from each baseline, against the wall time and the machine', () => {
  const cpu = cpuBreakdown(
    [
      { pid: 1, label: 'importer', baselineSeconds: 0, lastSeconds: 3 },
      { pid: 2, label: 'projector', baselineSeconds: 0, lastSeconds: 2.5 },
      { pid: 3, label: 'pnpm.cjs', baselineSeconds: 0, lastSeconds: 0.25 },
      { pid: 4, label: 'time', baselineSeconds: 0, lastSeconds: 0.25 },
      { pid: 5, label: 'broker', baselineSeconds: 1000, lastSeconds: 1001 },
      { pid: 6, label: 'postgres', baselineSeconds: 0, lastSeconds: 1.5 },
      { pid: 7, label: 'postgres', baselineSeconds: 0, lastSeconds: 0.5 },
      { pid: 8, label: 'walwriter', baselineSeconds: 20, lastSeconds: 20 },
      { pid: 9, label: 'checkpointer', baselineSeconds: 0.7, lastSeconds: 0.8 },
    ],
    5,
    { idle: 1000, total: 10_000 },
    { idle: 1250, total: 11_000 },
  );
  assert.equal(cpu.seconds, { importer: 3, projector: 2.5, launcher: 0.5, broker: 1, postgres: 2, walwriter: 0, checkpointer: 0.1 });
  assert.is(cpu.totalSeconds, 9.1);
  assert.ok(Math.abs(cpu.coresBusy - 1.82) < 1e-9);
  assert.is(cpu.machineIdle, 0.25);
  assert.is(cpu.machineBusySeconds, 7.5);
});

test.run();
