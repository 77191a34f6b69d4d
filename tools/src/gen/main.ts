/**
 * pnpm gen --scale K --out D [--seed S]
 *
 * Writes the four Medly exports at K × the real size into D, in the real layout
 * (D/user_data/user_data.json, D/curriculum_data/aqaGCSEBio_{course,exams,practices}.json),
 * deterministically, then prints what each file holds and the edge cases injected.
 */
import { parseArgs } from 'node:util';
import { generate } from './generate.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    out: { type: 'string' },
    seed: { type: 'string', default: 'medly' },
  },
});

const scale = Number(values.scale);
if (values.out === undefined || !(scale > 0) || !Number.isFinite(scale)) {
  console.error('usage: pnpm gen --scale K --out DIR [--seed S]   (K a positive number, fractions allowed)');
  process.exit(2);
}

const started = performance.now();
const result = await generate({ scale, outDir: values.out, seed: values.seed });
const seconds = (performance.now() - started) / 1000;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(`generated ${scale}× into ${values.out} in ${seconds.toFixed(1)} s (seed ${values.seed})`);
for (const file of result.files) {
  const records = Object.entries(file.records).map(([name, count]) => `${name} ${count.toLocaleString('en')}`).join(', ');
  console.log(`  ${file.file}  ${mib(file.bytes)} (${file.bytes.toLocaleString('en')} bytes)  ${records}`);
}
console.log('edge cases injected:');
for (const [name, count] of Object.entries(result.edgeCases).sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${name.padEnd(40)} ${count.toLocaleString('en')}`);
}
