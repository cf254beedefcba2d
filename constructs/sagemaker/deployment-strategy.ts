import { Duration } from 'aws-cdk-lib';
import { CapacitySize } from './capacity-size';

/** How traffic moves from the old (blue) fleet to the new (green) one. */
export enum TrafficRoutingType {
  /** A canary slice first, baked, then the rest at once. */
  CANARY = 'CANARY',
  /** Equal steps, each baked. */
  LINEAR = 'LINEAR',
  /** Everything at once, then baked before the old fleet is terminated. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
}

/** Timings every strategy shares. */
export interface DeploymentTimingOptions {
  /**
   * Final bake with all traffic on the new fleet before the old one is terminated (0 to 3600 s, whole seconds).
   * An alarm during it still rolls back.
   * @default Duration.minutes(10)
   */
  readonly terminationWait?: Duration;
  /**
   * How long the whole deployment may take (600 to 28800 s); must exceed the sum of all waits.
   * @default Duration.hours(1)
   */
  readonly maxExecutionTimeout?: Duration;
}

/** Options of a canary deployment. */
export interface CanaryDeploymentOptions extends DeploymentTimingOptions {
  /**
   * The canary: at most 50% of the new fleet's instances.
   * @default CapacitySize.percent(10)
   */
  readonly canarySize?: CapacitySize;
  /**
   * How long the canary bakes, watched by the rollback alarms, before the rest of the traffic moves (0 to 3600 s).
   * @default Duration.minutes(10)
   */
  readonly wait?: Duration;
}

/** Options of a linear deployment. */
export interface LinearDeploymentOptions extends DeploymentTimingOptions {
  /**
   * The size of each step: 10% to 50% of the new fleet's instances.
   * @default CapacitySize.percent(20)
   */
  readonly stepSize?: CapacitySize;
  /**
   * How long each step bakes, watched by the rollback alarms (0 to 3600 s).
   * @default Duration.minutes(5)
   */
  readonly wait?: Duration;
}

/** Options of an all-at-once deployment. */
export interface AllAtOnceDeploymentOptions extends DeploymentTimingOptions {
  /**
   * How long to wait after the shift before the final bake starts (0 to 3600 s).
   * @default Duration.seconds(0)
   */
  readonly wait?: Duration;
}

/**
 * A blue/green deployment of a new endpoint config with automatic rollback: SageMaker provisions the new fleet,
 * shifts traffic as the strategy says, bakes while it watches the rollback alarms, and moves all traffic back
 * to the old fleet when one goes off. Guardrails act on updates only (a changed endpoint config), never on create.
 *
 * @example
 * DeploymentStrategy.canary({ canarySize: CapacitySize.percent(10), wait: Duration.minutes(10) });
 * DeploymentStrategy.linear({ stepSize: CapacitySize.percent(25), wait: Duration.minutes(5) });
 */
export class DeploymentStrategy {
  /** A canary slice, baked for `wait`, then the rest (default: 10%, 10 min, final bake 10 min, timeout 1 h). */
  public static canary(options: CanaryDeploymentOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(TrafficRoutingType.CANARY, options.canarySize ?? CapacitySize.percent(10),
      options.wait ?? Duration.minutes(10), options);
  }

  /** Equal steps, each baked for `wait` (default: 20% steps, 5 min each, final bake 10 min, timeout 1 h). */
  public static linear(options: LinearDeploymentOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(TrafficRoutingType.LINEAR, options.stepSize ?? CapacitySize.percent(20),
      options.wait ?? Duration.minutes(5), options);
  }

  /** Everything at once, then the final bake (default: no wait, final bake 10 min, timeout 1 h). */
  public static allAtOnce(options: AllAtOnceDeploymentOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(TrafficRoutingType.ALL_AT_ONCE, undefined, options.wait ?? Duration.seconds(0), options);
  }

  /** Final bake before the old fleet is terminated. */
  public readonly terminationWait: Duration;
  /** Limit of the whole deployment. */
  public readonly maxExecutionTimeout: Duration;

  private constructor(
    /** Canary, linear or all at once. */
    public readonly type: TrafficRoutingType,
    /** The canary or the linear step; undefined for all at once. */
    public readonly size: CapacitySize | undefined,
    /** The bake per step (`WaitIntervalInSeconds`). */
    public readonly wait: Duration,
    timing: DeploymentTimingOptions,
  ) {
    this.terminationWait = timing.terminationWait ?? Duration.minutes(10);
    this.maxExecutionTimeout = timing.maxExecutionTimeout ?? Duration.hours(1);
  }

  /**
   * How many baked steps a deployment to `instanceCount` instances takes: 1 for canary and all at once; for linear,
   * the steps needed to move every instance (rounded up, as SageMaker moves whole instances).
   */
  public stepsFor(instanceCount: number): number {
    if (this.type !== TrafficRoutingType.LINEAR || this.size === undefined) return 1;
    const perStep = Math.max(1, this.size.instancesOf(instanceCount));
    return Math.ceil(instanceCount / perStep);
  }

  /** The sum of every wait of a deployment to `instanceCount` instances, in seconds: must stay below the timeout. */
  public totalWaitSeconds(instanceCount: number): number {
    return this.stepsFor(instanceCount) * this.wait.toSeconds({ integral: false }) + this.terminationWait.toSeconds({ integral: false });
  }
}
