/** Everything one `pnpm bench` run measured: written as results.json beside its logs, and rendered into docs/BENCHMARKS.md. */
import type { ApiResult } from './apiBench.ts';
import type { ImportResult } from './importBench.ts';
import type { InstancesResult } from './instancesBench.ts';
import type { MachineInfo } from './machine.ts';
import type { ProduceResult } from './produceBench.ts';
import type { ProjectionResult } from './projectionBench.ts';
import type { ProjectorsResult } from './projectorsBench.ts';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  /** `git rev-parse --short HEAD`, and the files under measurement that differed from it. */
  commit: string;
  uncommitted: string[];
  /** The command line, as typed. */
  command: string;
  runDir: string;
  machine: MachineInfo;
  scales: number[];
  produce: ProduceResult[];
  projection: { scale: number; result: ProjectionResult }[];
  imports: ImportResult[];
  /** Why the import part did not run, when it did not. */
  importSkipped?: string;
  api?: { scale: number; result: ApiResult };
  /** One projector against two on the same topics (absent from runs before issue 17). */
  projectors?: ProjectorsResult[];
  apiSkipped?: string;
  instances?: { scale: number; result: InstancesResult };
  /** Parts that failed, with their error; the others still ran. */
  failures: { part: string; scale?: number; message: string }[];
}
