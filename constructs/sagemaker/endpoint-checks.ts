import { Duration, Token } from 'aws-cdk-lib';
import { ProblemCollector } from '../../lib/core/errors';
import { CapacitySize, CapacitySizeType } from './capacity-size';
import { DeploymentStrategy, TrafficRoutingType } from './deployment-strategy';
import { InstanceStorage, InstanceTypeInfo, knownFamilies } from './instance-types';

/**
 * Deploy-time traps of a SageMaker endpoint that are knowable at synth, checked once so ModelEndpoint reports them
 * all in one error. Limits: reference/sagemaker.md §1, §3 and §11.
 */

/** SageMaker's name rule for endpoints and variants. */
export const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const MAX_VARIANTS = 10;
export const MAX_ROLLBACK_ALARMS = 10;
const MAX_WAIT_SECONDS = 3600;
const MIN_TIMEOUT_SECONDS = 600;
const MAX_TIMEOUT_SECONDS = 28800;
/** A requested share further than this from the effective one gets a warning (percentage points). */
export const SHARE_TOLERANCE = 5;

/** One variant as the checks see it. */
export interface CheckedVariant {
  /** Where its props are (`instanceType` for the primary, `additionalVariants[0].instanceType` for others). */
  readonly prop: string;
  readonly variantName: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly initialWeight: number;
  readonly info: InstanceTypeInfo;
}

/** Checks a variant's name, type, storage, count and weight. */
export function checkVariant(v: CheckedVariant, problems: ProblemCollector, propOf: (name: string) => string): void {
  if (Token.isUnresolved(v.variantName)) {
    problems.add(propOf('variantName'), v.variantName, 'a literal name',
      'name the variant literally: blue/green deployments need the same variant name in the old and the new endpoint config');
  } else {
    problems.check(!SAGEMAKER_NAME.test(v.variantName), propOf('variantName'), v.variantName,
      'up to 63 letters, digits and hyphens, starting and ending with a letter or digit', "use e.g. 'AllTraffic'");
  }
  if (Token.isUnresolved(v.instanceType)) {
    problems.add(propOf('instanceType'), v.instanceType, 'a literal ml.* instance type',
      'name the instance type literally: whether the ML volume takes a KMS key depends on it (NVMe instance storage)');
  } else if (v.info.problem !== undefined) {
    problems.add(propOf('instanceType'), v.instanceType, v.info.problem, "use a real-time ml.* instance type, e.g. 'ml.g5.xlarge' (GPU) or 'ml.m5.xlarge' (CPU)");
  } else if (v.info.storage === undefined) {
    problems.add(propOf('instanceType'), v.instanceType,
      `an instance family whose storage (EBS or local NVMe) is known: ${knownFamilies().join(', ')}`,
      `use a known family, or declare the storage of ${v.info.family} with instanceStorage: InstanceStorage.EBS or InstanceStorage.NVME ` +
        '(SageMaker rejects KmsKeyId on NVMe types and a volume without it is not customer-key encrypted on EBS types)');
  }
  if (!Token.isUnresolved(v.instanceCount)) {
    problems.check(!Number.isInteger(v.instanceCount) || v.instanceCount < 1, propOf('instanceCount'), v.instanceCount,
      'a whole number of instances, at least 1 (2 or more for availability)', 'use 2');
  }
  if (!Token.isUnresolved(v.initialWeight)) {
    problems.check(!(v.initialWeight >= 0), propOf('initialWeight'), v.initialWeight, 'a weight of 0 or more', 'use 1');
  }
}

/** Checks the variants together: count, unique names, traffic, one storage kind. */
export function checkVariants(variants: readonly CheckedVariant[], problems: ProblemCollector): void {
  problems.check(variants.length > MAX_VARIANTS, 'additionalVariants', `${variants.length} variants in total`,
    `at most ${MAX_VARIANTS} production variants per endpoint config`, 'serve the other models from another endpoint');
  const names = variants.map((v) => v.variantName);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  problems.check(duplicates.length > 0, 'additionalVariants', duplicates, 'a different name for every variant', 'rename the duplicates');
  problems.check(variants.every((v) => v.initialWeight === 0), 'initialWeight', 'every variant weighted 0', 'at least one variant with a weight above 0',
    'give the primary variant initialWeight 1');
  const kinds = new Set(variants.map((v) => v.info.storage).filter((s) => s !== undefined));
  if (kinds.size > 1) {
    const describe = (s: InstanceStorage) => variants.filter((v) => v.info.storage === s).map((v) => `${v.variantName} (${v.instanceType})`).join(', ');
    problems.add('additionalVariants', `NVMe variants ${describe(InstanceStorage.NVME)} and EBS variants ${describe(InstanceStorage.EBS)}`,
      'variants of one storage kind: the endpoint config KmsKeyId is required for EBS volumes and rejected for NVMe instance storage',
      'serve the NVMe and the EBS-backed variants from separate ModelEndpoints');
  }
}

/** Checks the blue/green strategy against every variant's fleet. */
export function checkDeployment(strategy: DeploymentStrategy, variants: readonly CheckedVariant[], problems: ProblemCollector): void {
  const seconds = (d: Duration) => d.toSeconds({ integral: false });
  const checkWait = (d: Duration, prop: string) => {
    if (d.isUnresolved()) return;
    const s = seconds(d);
    problems.check(!Number.isInteger(s) || s < 0 || s > MAX_WAIT_SECONDS, prop, d.toHumanString(), `whole seconds from 0 to ${MAX_WAIT_SECONDS} (1 hour)`,
      'bake for at most an hour per step; for a longer observation use more steps (linear) or a longer terminationWait');
  };
  checkWait(strategy.wait, 'deployment.wait');
  checkWait(strategy.terminationWait, 'deployment.terminationWait');

  const size = strategy.size;
  if (size !== undefined && !Token.isUnresolved(size.value)) {
    const what = strategy.type === TrafficRoutingType.CANARY ? 'deployment.canarySize' : 'deployment.stepSize';
    const valid = Number.isInteger(size.value) && size.value >= 1 && (size.type === CapacitySizeType.INSTANCE_COUNT || size.value <= 100);
    problems.check(!valid, what, size.value, size.type === CapacitySizeType.CAPACITY_PERCENT ? 'a whole percentage from 1 to 100' : 'a whole number of instances, at least 1',
      'use CapacitySize.percent(10) or CapacitySize.instances(1)');
    if (valid) for (const v of variants) checkSize(strategy.type, size, v, what, problems);
  }

  if (strategy.type !== TrafficRoutingType.ALL_AT_ONCE) {
    const inf1 = variants.filter((v) => v.info.family === 'inf1');
    problems.check(inf1.length > 0, 'deployment', `${strategy.type.toLowerCase()} on ${inf1.map((v) => v.instanceType).join(', ')}`,
      'all at once on Inf1 instances (SageMaker falls back to all-at-once blue/green without the final bake there)',
      'use DeploymentStrategy.allAtOnce() and accept the missing bake, or an Inf2 instance type');
  }

  const timeout = strategy.maxExecutionTimeout;
  if (timeout.isUnresolved()) return;
  const t = seconds(timeout);
  if (!Number.isInteger(t) || t < MIN_TIMEOUT_SECONDS || t > MAX_TIMEOUT_SECONDS) {
    problems.add('deployment.maxExecutionTimeout', timeout.toHumanString(), `whole seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} (10 minutes to 8 hours)`,
      'use Duration.hours(1), or more for long bakes');
    return;
  }
  if (strategy.wait.isUnresolved() || strategy.terminationWait.isUnresolved() || variants.some((v) => Token.isUnresolved(v.instanceCount))) return;
  const worst = variants.reduce((a, b) => (strategy.totalWaitSeconds(b.instanceCount) > strategy.totalWaitSeconds(a.instanceCount) ? b : a));
  const total = strategy.totalWaitSeconds(worst.instanceCount);
  const steps = strategy.stepsFor(worst.instanceCount);
  problems.check(t <= total, 'deployment.maxExecutionTimeout', timeout.toHumanString(),
    `more than the sum of the waits: ${steps > 1 ? `${steps} steps × ` : ''}${seconds(strategy.wait)} s + terminationWait ${seconds(strategy.terminationWait)} s = ${total} s` +
      ' (provisioning the new fleet takes time too)',
    `raise maxExecutionTimeout to at least ${Math.min(MAX_TIMEOUT_SECONDS, Math.max(MIN_TIMEOUT_SECONDS, total + 1800))} s, or shorten the waits`);
}

function checkSize(type: TrafficRoutingType, size: CapacitySize, v: CheckedVariant, prop: string, problems: ProblemCollector): void {
  if (Token.isUnresolved(v.instanceCount) || v.instanceCount < 1) return;
  const instances = size.instancesOf(v.instanceCount);
  const share = (instances / v.instanceCount) * 100;
  const of = `${size} of the ${v.instanceCount} instance${v.instanceCount === 1 ? '' : 's'} of ${v.variantName}`;
  if (type === TrafficRoutingType.CANARY) {
    problems.check(share > 50, prop, `${of} = ${instances} instance${instances === 1 ? '' : 's'} (${round(share)}%)`,
      'a canary of at most 50% of the new fleet\'s instances',
      v.instanceCount < 2 ? 'run at least 2 instances (instanceCount), or deploy with DeploymentStrategy.allAtOnce()' : 'use a smaller canarySize');
  } else if (size.type === CapacitySizeType.CAPACITY_PERCENT) {
    problems.check(size.value < 10 || size.value > 50, prop, size.toString(), 'a linear step of 10% to 50% of the new fleet\'s instances',
      'use CapacitySize.percent(20)');
  } else {
    problems.check(share < 10 || share > 50, prop, `${of} (${round(share)}%)`, 'a linear step of 10% to 50% of the new fleet\'s instances',
      `use CapacitySize.instances(${Math.max(1, Math.round(v.instanceCount / 5))}) or a percentage`);
  }
}

/**
 * The share of traffic a percentage canary or linear step really gets: SageMaker rounds up to whole instances, so
 * with few instances "10%" is a third or a half. Undefined when it is within SHARE_TOLERANCE points of the request.
 */
export function effectiveShare(size: CapacitySize, instanceCount: number): { instances: number; share: number; exactCount: number } | undefined {
  if (size.type !== CapacitySizeType.CAPACITY_PERCENT || Token.isUnresolved(size.value) || Token.isUnresolved(instanceCount) || instanceCount < 1) return undefined;
  const instances = size.instancesOf(instanceCount);
  const share = (instances / instanceCount) * 100;
  if (Math.abs(share - size.value) <= SHARE_TOLERANCE) return undefined;
  return { instances, share, exactCount: countForShare(size.value) };
}

/** The smallest fleet on which a percentage rounds to within a point of itself. */
function countForShare(percent: number): number {
  for (let n = 1; n <= 100; n++) {
    if (Math.abs((Math.ceil((percent * n) / 100) / n) * 100 - percent) <= 1) return n;
  }
  return 100;
}

export function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
