import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSourceFiles } from './discover.ts';

test('every subject in curriculum_data and every user export is found, sorted; schemas and strangers are not', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'discover-'));
  try {
    await mkdir(join(dataDir, 'curriculum_data'));
    await mkdir(join(dataDir, 'user_data'));
    for (const name of [
      'bio_course.json', 'bio_practices.json', 'bio_exams.json', 'bio_practices.schema.json',
      'chem_v2_course.json', 'chem_v2_exams.json', 'notes.json', 'bio_course.json.bak',
    ]) {
      await writeFile(join(dataDir, 'curriculum_data', name), '[]');
    }
    await writeFile(join(dataDir, 'user_data', 'b.json'), '{}');
    await writeFile(join(dataDir, 'user_data', 'a.json'), '{}');
    const found = await discoverSourceFiles(dataDir, ['users', 'course', 'practices', 'exams']);
    const summary = Object.fromEntries([...found].map(([source, files]) => [source, files.map((f) => `${f.file}|${String(f.subjectId)}`)]));
    assert.equal(summary, {
      users: ['user_data/a.json|null', 'user_data/b.json|null'],
      course: ['curriculum_data/bio_course.json|bio', 'curriculum_data/chem_v2_course.json|chem_v2'],
      practices: ['curriculum_data/bio_practices.json|bio'],
      exams: ['curriculum_data/bio_exams.json|bio', 'curriculum_data/chem_v2_exams.json|chem_v2'],
    });
    assert.is(found.get('course')?.[0]?.path, join(dataDir, 'curriculum_data', 'bio_course.json'));
    const onlyCourse = await discoverSourceFiles(dataDir, ['course']);
    assert.equal([...onlyCourse.keys()], ['course']);
  } finally {
    await rm(dataDir, { recursive: true });
  }
});

test('a folder without the sub-folders has no files (the caller warns)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'discover-empty-'));
  try {
    const found = await discoverSourceFiles(dataDir, ['users', 'exams']);
    assert.equal([...found.values()], [[], []]);
  } finally {
    await rm(dataDir, { recursive: true });
  }
});

test.run();
