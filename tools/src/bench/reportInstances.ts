/** The part of docs/BENCHMARKS.md about several API instances (instancesBench.ts). */
import type { PhaseResult } from './instancesBench.ts';
import { markdownTable } from './markdownTable.ts';
import type { BenchResults } from './results.ts';
import { formatCount } from './stats.ts';

const statuses = (phase: PhaseResult) =>
  Object.entries(phase.statuses)
    .map(([status, count]) => `${status}: ${formatCount(count)}`)
    .join(', ') + (phase.errors > 0 ? `, errors: ${String(phase.errors)}` : '');

const row = (what: string, phase: PhaseResult) => [
  what,
  String(phase.instances),
  String(phase.connections),
  formatCount(phase.perSecond),
  phase.p50Ms.toFixed(1),
  phase.p99Ms.toFixed(1),
  statuses(phase),
  phase.cpuMsPerAnswer.api.toFixed(2),
  phase.cpuMsPerAnswer.projector.toFixed(2),
  phase.cpuMsPerAnswer.postgres.toFixed(2),
  phase.projector.batches > 0 ? `${formatCount(phase.projector.batches)} × ${phase.projector.meanBatchMs.toFixed(1)} ms` : '',
];

export function renderInstances(results: BenchResults): string {
  if (!results.instances) return '';
  const { scale, result } = results.instances;
  const rows = [
    ...result.reads.map((phase) => row('`GET /users/:id`', phase)),
    ...result.writes.map((phase) => row('`PATCH /users/:id`', phase)),
    row('`PATCH` one user, If-Match', result.hotUser),
  ];
  return [
    `### 5. Several API instances at ${String(scale)}× (after the import)`,
    '',
    'A projector process (`node projector/src/main.ts`, METRICS_PORT on) and two API processes on the imported database, no load balancer: ' +
      `the load generator splits its connections between the instances. ${String(result.durationSeconds)} s per row after a warm-up, over ${String(result.users)} users. ` +
      'Writes are unconditional PATCHes of `metadata` answered once projected (200) or after ~2 s (202); the last row is clients on both instances ' +
      'racing GET + PATCH with If-Match on one user (200 applied, 412 stale). CPU per answer, from /proc: the API processes, the projector, and every ' +
      'backend of the database (the projector\'s included). Batches: the projector\'s committed batches during the row and their mean duration, from its /metrics. ' +
      'Everything, the load generator included, shares the 2 cores.',
    '',
    markdownTable(
      ['load', 'instances', 'connections', 'answers/s', 'p50 ms', 'p99 ms', 'statuses', 'API CPU ms/answer', 'projector CPU ms/answer', 'Postgres CPU ms/answer', 'projector batches'],
      rows,
      [1, 2, 3, 4, 5, 7, 8, 9],
    ),
  ].join('\n');
}
