import type { Duration } from 'aws-cdk-lib';
import type { ProblemCollector } from '../../lib/core/errors';

/**
 * Records a problem unless `value` is whole days, at least one (S3 and ECR count in days); unresolved values pass.
 */
export function wholeDays(value: Duration | undefined, problems: ProblemCollector, prop: string, fix: string): void {
  if (value === undefined || value.isUnresolved()) return;
  const days = value.toDays({ integral: false });
  problems.check(!Number.isInteger(days) || days < 1, prop, value.toHumanString(), 'whole days, at least 1', `use ${fix}`);
}
