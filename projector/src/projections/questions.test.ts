import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope, question } from '../testing/fixtures.ts';
import { questionRows, questionsTable } from './questions.ts';

test('a stem is keyed by kind, container and stem id, its diagram kept as JSON', () => {
  const diagram = { table: [['a', 1]] };
  const [row] = questionRows([envelope('questions', question({ kind: 'paper', containerId: 'paper1', stemDiagram: diagram }), 0)]);
  assert.equal([row?.kind, row?.container_id, row?.stem_id], ['paper', 'paper1', 'stem1']);
  assert.equal(row?.stem_diagram, diagram);
  assert.equal(questionsTable.key, ['kind', 'container_id', 'stem_id']);
  assert.equal(Object.keys(row ?? {}).sort(), Object.keys(questionsTable.columns).sort());
});

test.run();
