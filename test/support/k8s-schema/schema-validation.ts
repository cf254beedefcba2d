import { spawnSync } from 'child_process';
import * as path from 'path';

/** One schema violation: the object (`Kind/namespace/name`), the JSON path inside it, and what is wrong there. */
export interface SchemaProblem {
  readonly id: string;
  readonly path: string;
  readonly message: string;
}

const SCRIPT = path.join(__dirname, 'validate-objects.mjs');

/**
 * Validates objects against the upstream schemas (Kubernetes core, Istio, Argo Rollouts, Prometheus Operator) in
 * one child process: the schema packages are ESM-only and the tests are CommonJS. Call it once per test file
 * with every object the file produced.
 */
export function schemaProblems(objects: readonly unknown[]): SchemaProblem[] {
  const run = spawnSync(process.execPath, [SCRIPT], { input: JSON.stringify(objects), encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`schema validator exited with ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as SchemaProblem[];
}

/** Fails with every violation, one line each (`Rollout/fraud/model /spec/replicas: must be integer`). */
export function expectSchemaValid(objects: readonly unknown[]): void {
  const lines = schemaProblems(objects).map((p) => `${p.id} ${p.path}: ${p.message}`);
  if (lines.length > 0) throw new Error(`${lines.length} schema violation(s):\n  ${lines.join('\n  ')}`);
}
