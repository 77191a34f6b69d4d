import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejects } from '@medly/shared/testing/rejects';
import { readJsonRecords, SourceFileError, type RawRecord } from './readJsonRecords.ts';

let folder = '';
test.before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'records-'));
});
test.after(async () => {
  await rm(folder, { recursive: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
}

async function collect<Key extends string | number>(records: AsyncGenerator<RawRecord<Key>>): Promise<RawRecord<Key>[]> {
  const all: RawRecord<Key>[] = [];
  for await (const record of records) all.push(record);
  return all;
}

test('the targets object is streamed entry by entry, keys as written (slashes and all)', async () => {
  const path = await fileWith('u.json', '{"meta": {"x": 1}, "targets": {"users/a/x": {"n": 1}, "users/b/y": {"n": [2]}}, "after": true}');
  let bytes = 0;
  const records = await collect(readJsonRecords(path, 'targets', { displayName: 'user_data/u.json', onBytes: (n) => (bytes += n) }));
  assert.equal(records, [
    { key: 'users/a/x', value: { n: 1 } },
    { key: 'users/b/y', value: { n: [2] } },
  ]);
  assert.ok(bytes > 50, 'progress sees the bytes read');
});

test('a byte-order mark and CRLF line ends are read as any other file; a lone-surrogate escape arrives as parsed', async () => {
  const path = await fileWith('bom.json', '\ufeff{\r\n  "targets": {\r\n    "users/a/x": {"t": "a\\ud800", "n": 1e309}\r\n  }\r\n}\r\n');
  const records = await collect(readJsonRecords(path, 'targets', { displayName: 'user_data/bom.json', onBytes: () => undefined }));
  assert.equal(records, [{ key: 'users/a/x', value: { t: 'a\ud800', n: Number.POSITIVE_INFINITY } }]);
});

test('a curriculum array is streamed element by element with its index', async () => {
  const path = await fileWith('a.json', '\uFEFF[{"a": 1}, "two", [3]]');
  assert.equal(await collect(readJsonRecords(path, 'array', { displayName: 'a.json' })), [
    { key: 0, value: { a: 1 } },
    { key: 1, value: 'two' },
    { key: 2, value: [3] },
  ]);
});

test('bad JSON fails naming the file, line, column and offset', async () => {
  const path = await fileWith('bad.json', '[\n {"a": 1},\n {"b": 2,,}\n]');
  const error = await rejects(
    collect(readJsonRecords(path, 'array', { displayName: 'curriculum_data/bad.json' })),
    /curriculum_data\/bad\.json: invalid JSON at line 3, column 10 \(character 22\)/,
  );
  assert.instance(error, SourceFileError);
  assert.is((error as SourceFileError).file, 'curriculum_data/bad.json');
});

test('records read before the error (in earlier blocks of the file) have been delivered', async () => {
  const good = Array.from({ length: 5000 }, (_, i) => `{"n": ${i}, "pad": "${'x'.repeat(20)}"}`).join(',\n');
  const path = await fileWith('late.json', `[\n${good},\n{"n": oops}\n]`);
  const seen: unknown[] = [];
  await rejects(
    (async () => {
      for await (const record of readJsonRecords(path, 'array', { displayName: 'late.json' })) seen.push(record.value);
    })(),
    /late\.json: invalid JSON at line 5002, column 7/,
  );
  assert.ok(seen.length > 1000, `${seen.length} records delivered before the failure`);
  assert.equal(seen[0], { n: 0, pad: 'x'.repeat(20) });
});

test('a truncated file fails clearly too', async () => {
  const path = await fileWith('cut.json', '{"targets": {"users/a": {"n": 1}, "users/b": {"n"');
  await rejects(collect(readJsonRecords(path, 'targets', { displayName: 'cut.json' })), /cut\.json: invalid JSON at line 1/);
});

test('a missing file, the wrong top-level shape and a user file without targets fail with the file named', async () => {
  await rejects(collect(readJsonRecords(join(folder, 'nope.json'), 'array', { displayName: 'nope.json' })), /nope\.json: cannot be read \(ENOENT\)/);
  const object = await fileWith('object.json', '{"a": 1}');
  await rejects(collect(readJsonRecords(object, 'array', { displayName: 'object.json' })), /object\.json: unexpected structure: .*array/);
  await rejects(collect(readJsonRecords(object, 'targets', { displayName: 'object.json' })), /object\.json: no "targets" object/);
  const targetsArray = await fileWith('targets-array.json', '{"targets": [1]}');
  await rejects(collect(readJsonRecords(targetsArray, 'targets', { displayName: 'targets-array.json' })), /targets-array\.json: unexpected structure/);
});

test('brackets, quotes and backslashes inside strings do not end a record; a key written twice is read twice', async () => {
  const path = await fileWith('s.json', '{"targets": {"u/a": {"t": "}]\\\\\\"[{,"}, "u/a": {"t": "\\\\"}, "u/b": 7}}');
  assert.equal(await collect(readJsonRecords(path, 'targets', { displayName: 's.json' })), [
    { key: 'u/a', value: { t: '}]\\"[{,' } },
    { key: 'u/a', value: { t: '\\' } },
    { key: 'u/b', value: 7 },
  ]);
});

test('a record larger than a read block, a character split between blocks and bytes that are not UTF-8', async () => {
  const big = 'é'.repeat(700_000); // 1.4 MB of two-byte characters: some character straddles the 1 MiB block edge
  const path = join(folder, 'big.json');
  await writeFile(path, Buffer.concat([Buffer.from(`[{"big": "${big}"}, "x`), Buffer.from([0xff]), Buffer.from('y", 12, true, null, []]')]));
  const records = await collect(readJsonRecords(path, 'array', { displayName: 'big.json' }));
  assert.equal(records.map((record) => record.key), [0, 1, 2, 3, 4, 5]);
  assert.ok((records[0]?.value as { big: string }).big === big, 'the large record arrives whole');
  assert.equal(records.slice(1).map((record) => record.value), ['x\ufffdy', 12, true, null, []]);
});

test('empty containers are files of no records', async () => {
  assert.equal(await collect(readJsonRecords(await fileWith('e.json', ' [ ] '), 'array', { displayName: 'e.json' })), []);
  assert.equal(await collect(readJsonRecords(await fileWith('t.json', '{"targets": {}}'), 'targets', { displayName: 't.json' })), []);
});

test('text after the top-level value and a missing comma are invalid JSON', async () => {
  await rejects(collect(readJsonRecords(await fileWith('after.json', '[1, 2] 3'), 'array', { displayName: 'after.json' })), /after\.json: invalid JSON at line 1/);
  await rejects(collect(readJsonRecords(await fileWith('comma.json', '[{"a": 1} {"b": 2}]'), 'array', { displayName: 'comma.json' })), /comma\.json: invalid JSON at line 1/);
});

test.run();
