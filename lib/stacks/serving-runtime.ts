import { ProblemCollector } from '../core/errors';

/** Which serving runtimes an environment holds. */
export enum ServingRuntime {
  /** SageMaker endpoints only. */
  SAGEMAKER = 'sagemaker',
  /** The EKS cluster and its charts only. */
  EKS = 'eks',
  /** Both runtimes on the same foundation. */
  BOTH = 'both',
}

/** Whether `runtime` includes SageMaker serving. */
export function includesSageMaker(runtime: ServingRuntime): boolean {
  return runtime === ServingRuntime.SAGEMAKER || runtime === ServingRuntime.BOTH;
}

/** Whether `runtime` includes EKS serving. */
export function includesEks(runtime: ServingRuntime): boolean {
  return runtime === ServingRuntime.EKS || runtime === ServingRuntime.BOTH;
}

/** Reads a runtime from a context value (`-c runtime=eks`); an error naming the allowed values otherwise. */
export function parseServingRuntime(value: unknown, where: string, defaultRuntime = ServingRuntime.BOTH): ServingRuntime {
  if (value === undefined) return defaultRuntime;
  const allowed = Object.values(ServingRuntime) as string[];
  if (typeof value === 'string' && allowed.includes(value)) return value as ServingRuntime;
  const problems = new ProblemCollector(where, 'context');
  problems.add('runtime', value, allowed.join(' | '), `run e.g. 'npx cdk synth -c runtime=${defaultRuntime}', or leave it out for '${defaultRuntime}'`);
  problems.throwIfAny();
  return defaultRuntime;
}
