import type { ProblemCollector } from '../core/errors';

/** The checks every serving stack makes of its deployments: at least one, each model once. */
export function checkDeployments(problems: ProblemCollector, models: readonly string[], releasedBy: string): void {
  problems.check(models.length === 0, 'deployments', '[]', 'at least one model deployment', 'list the models to serve, or leave this stack out');
  const twice = models.filter((m, i) => models.indexOf(m) !== i);
  problems.check(twice.length > 0, 'deployments[].model', twice.join(', '), 'each model once', `serve each model by one deployment (${releasedBy} releases new versions)`);
}
