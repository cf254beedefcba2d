import type { IConstruct } from 'constructs';

/**
 * A model version whose approval was checked at deploy time: the newest `Approved` package of a registry
 * group (or a named version that is approved). Its attributes are deploy-time values (tokens at synth).
 */
export interface IApprovedModel extends IConstruct {
  /** ARN of the approved model package version. */
  readonly modelPackageArn: string;
  /** Container image of the package's first container, pinned by digest (`<repo>@sha256:...`). */
  readonly imageUri: string;
  /** S3 URL of the model artifacts of the package's first container. */
  readonly modelDataUrl: string;
  /** The package group the version was resolved from. */
  readonly modelPackageGroupName: string;
}
