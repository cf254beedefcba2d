/** How a canary or linear step is sized: a share of the new fleet's instances, or a number of instances. */
export enum CapacitySizeType {
  /** A percentage of the new (green) fleet's instances. */
  CAPACITY_PERCENT = 'CAPACITY_PERCENT',
  /** A number of instances. */
  INSTANCE_COUNT = 'INSTANCE_COUNT',
}

/**
 * The size of a canary or of one linear step. SageMaker counts instances, not requests: a percentage is rounded up to
 * whole instances, so with few instances "10%" may be a third or half of the traffic (ModelEndpoint warns).
 */
export class CapacitySize {
  /** A percentage of the new fleet's instances (SageMaker rounds up to whole instances). */
  public static percent(value: number): CapacitySize {
    return new CapacitySize(CapacitySizeType.CAPACITY_PERCENT, value);
  }

  /** A number of instances. */
  public static instances(value: number): CapacitySize {
    return new CapacitySize(CapacitySizeType.INSTANCE_COUNT, value);
  }

  private constructor(
    /** Percent or instance count. */
    public readonly type: CapacitySizeType,
    /** The percentage or the number of instances. */
    public readonly value: number,
  ) {}

  /** Instances this size takes of a fleet of `instanceCount` (a percentage rounds up, as SageMaker does). */
  public instancesOf(instanceCount: number): number {
    return this.type === CapacitySizeType.INSTANCE_COUNT ? this.value : Math.ceil((this.value * instanceCount) / 100);
  }

  /** `10%` or `1 instance`, for messages. */
  public toString(): string {
    return this.type === CapacitySizeType.CAPACITY_PERCENT ? `${this.value}%` : `${this.value} instance${this.value === 1 ? '' : 's'}`;
  }
}
