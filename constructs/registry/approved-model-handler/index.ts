import {
  DescribeModelPackageCommand, DescribeModelPackageCommandOutput, ListModelPackagesCommand, ModelPackageSummary, SageMakerClient,
} from '@aws-sdk/client-sagemaker';

/**
 * The onEvent handler of `ApprovedModel` (custom resource provider framework): resolves, at deploy time, the model
 * version to serve and refuses anything that is not approved. Only the SDK and node builtins: Lambda's Node.js
 * runtime ships them, so the compiled file is the whole asset.
 */

/** What `ApprovedModel` passes as the custom resource's properties (CloudFormation sends strings). */
export interface ApprovedModelProperties {
  /** The group's name, or its ARN for a group of another account. */
  readonly ModelPackageGroupName: string;
  /** The ARN of a named version; absent to take the newest approved one. */
  readonly ModelPackageArn?: string;
  /** Changed by a pipeline to make CloudFormation send an Update (and so resolve again); not read here. */
  readonly ApprovalToken?: string;
  /**
   * The digest of the image a consumer has pinned at synth (an EKS chart): the deployment fails unless the resolved
   * approved version runs exactly this image.
   */
  readonly RequiredImageDigest?: string;
}

/** The part of a CloudFormation custom resource event the provider framework passes to onEvent. */
export interface ApprovedModelEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: ApprovedModelProperties;
}

/** The resolved version, as the custom resource's attributes (`Fn::GetAtt`). */
export interface ApprovedModelData {
  readonly ModelPackageArn: string;
  /** `<repository>@sha256:<digest>`: the image the approval was for, never a movable tag. */
  readonly ImageUri: string;
  readonly ModelDataUrl: string;
  readonly ModelPackageVersion: string;
}

export interface ApprovedModelResponse {
  /** The version's ARN: a newly approved version changes it, which CloudFormation treats as a replacement. */
  readonly PhysicalResourceId: string;
  readonly Data?: ApprovedModelData;
}

const APPROVED = 'Approved';
const COMPLETED = 'Completed';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** The largest page ListModelPackages returns. */
const PAGE_SIZE = 100;

/** The handler with its SageMaker client injected (tests point one at a loopback server). */
export function createHandler(client: SageMakerClient): (event: ApprovedModelEvent) => Promise<ApprovedModelResponse> {
  return async (event) => {
    // Nothing was created, so nothing is deleted: the registry and its versions are not this resource's.
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? 'none' };
    const props = event.ResourceProperties;
    const description = props.ModelPackageArn
      ? await describeNamed(client, props.ModelPackageArn)
      : await describeNewestApproved(client, props.ModelPackageGroupName);
    const data = resolve(description);
    const required = props.RequiredImageDigest;
    if (required && !data.ImageUri.endsWith(`@${required}`)) {
      throw new Error(
        `The approved version ${data.ModelPackageArn} runs ${data.ImageUri}, not the pinned image ${required}: that image is not approved. ` +
        'Register and approve a version built from it, or pin the approved version\'s image digest.',
      );
    }
    return { PhysicalResourceId: data.ModelPackageArn, Data: data };
  };
}

let defaultClient: SageMakerClient | undefined;

/** The Lambda entry point: region and credentials from the function's environment; throttling retried (3 attempts). */
export async function handler(event: ApprovedModelEvent): Promise<ApprovedModelResponse> {
  defaultClient ??= new SageMakerClient({ maxAttempts: 3 });
  return createHandler(defaultClient)(event);
}

async function describeNamed(client: SageMakerClient, arn: string): Promise<DescribeModelPackageCommandOutput> {
  const description = await call(`DescribeModelPackage of ${arn}`, () => client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
  if (description.ModelApprovalStatus !== APPROVED) {
    throw new Error(
      `Model package ${arn} is ${description.ModelApprovalStatus ?? 'without an approval status'}, not ${APPROVED}: ` +
        'only approved versions are deployed. Have the approver approve it, or name an approved version.',
    );
  }
  return description;
}

/**
 * Lists the group's approved versions newest first, every page: the newest is taken across all of them (by creation
 * time, then version number) rather than trusting the first item, so a service that ignores the sort or a filter
 * still cannot make an older or unapproved version win. Then describes it and checks the approval again, in case it
 * was revoked in between.
 */
async function describeNewestApproved(client: SageMakerClient, group: string): Promise<DescribeModelPackageCommandOutput> {
  let newest: ModelPackageSummary | undefined;
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await call(`ListModelPackages of group ${group}`, () => client.send(new ListModelPackagesCommand({
      ModelPackageGroupName: group,
      ModelPackageType: 'Versioned',
      ModelApprovalStatus: APPROVED,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: PAGE_SIZE,
      NextToken: token,
    })));
    for (const summary of page.ModelPackageSummaryList ?? []) {
      if (summary.ModelApprovalStatus !== APPROVED || summary.ModelPackageStatus !== COMPLETED) continue;
      if (!newest || newer(summary, newest)) newest = summary;
    }
    nextToken = page.NextToken || undefined;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) throw new Error(`ListModelPackages of group ${group} returned the page token ${nextToken} twice; stopping`);
      seen.add(nextToken);
    }
  } while (nextToken !== undefined);

  if (!newest) {
    throw new Error(
      `Model package group ${group} has no approved version (ModelApprovalStatus ${APPROVED}, status ${COMPLETED}): ` +
        'nothing may be deployed until the approver approves a registered version.',
    );
  }
  const arn = newest.ModelPackageArn!;
  const description = await call(`DescribeModelPackage of ${arn}`, () => client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
  if (description.ModelApprovalStatus !== APPROVED) {
    throw new Error(`Model package ${arn} was listed as ${APPROVED} but is now ${description.ModelApprovalStatus}: deploy again once a version is approved.`);
  }
  return description;
}

function newer(a: ModelPackageSummary, b: ModelPackageSummary): boolean {
  const byTime = (a.CreationTime?.getTime() ?? 0) - (b.CreationTime?.getTime() ?? 0);
  return byTime !== 0 ? byTime > 0 : (a.ModelPackageVersion ?? 0) > (b.ModelPackageVersion ?? 0);
}

/** The attributes of an approved version, or an error saying why it cannot be served as approved. */
function resolve(description: DescribeModelPackageCommandOutput): ApprovedModelData {
  const arn = description.ModelPackageArn!;
  if (description.ModelPackageStatus !== COMPLETED) {
    throw new Error(`Model package ${arn} is ${description.ModelPackageStatus}, not ${COMPLETED}: it cannot be deployed.`);
  }
  const containers = description.InferenceSpecification?.Containers ?? [];
  if (containers.length !== 1) {
    throw new Error(
      `Model package ${arn} has ${containers.length} inference containers; ApprovedModel serves single-container versions, ` +
        'so that what runs is exactly what was approved.',
    );
  }
  const [container] = containers;
  if (!container.ModelDataUrl) {
    throw new Error(
      `Model package ${arn} has no ModelDataUrl on its container: register the version with the S3 URL of its model ` +
        'artifacts (model.tar.gz), so the deployment serves the approved artifacts.',
    );
  }
  return {
    ModelPackageArn: arn,
    ImageUri: pinnedImage(arn, container.Image, container.ImageDigest),
    ModelDataUrl: container.ModelDataUrl,
    ModelPackageVersion: String(description.ModelPackageVersion ?? ''),
  };
}

/** The image by digest: the image as registered if it already names one, else its repository and `ImageDigest`. */
function pinnedImage(arn: string, image: string | undefined, digest: string | undefined): string {
  if (!image) throw new Error(`Model package ${arn} has no container image.`);
  const at = image.indexOf('@');
  if (at >= 0) {
    const own = image.slice(at + 1);
    if (!DIGEST.test(own)) throw new Error(`Model package ${arn}: image ${image} names a malformed digest (expected sha256: and 64 hex digits).`);
    if (digest && digest !== own) throw new Error(`Model package ${arn}: image ${image} and ImageDigest ${digest} disagree.`);
    return image;
  }
  if (!digest) {
    throw new Error(
      `Model package ${arn}: image ${image} not pinned by digest (no ImageDigest): a tag can be moved after approval. ` +
        'Register the version with InferenceSpecification.Containers[0].ImageDigest, or an image URI <repository>@sha256:<digest>.',
    );
  }
  if (!DIGEST.test(digest)) throw new Error(`Model package ${arn}: ImageDigest ${digest} is malformed (expected sha256: and 64 hex digits).`);
  return `${repositoryOf(image)}@${digest}`;
}

/** The image without its tag (`host:port/repo:tag` → `host:port/repo`). */
function repositoryOf(image: string): string {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
}

/** Runs a SageMaker call, surfacing a service error with the operation, its code and its message. */
async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    const error = e as Error & { $metadata?: { httpStatusCode?: number } };
    const status = error.$metadata?.httpStatusCode;
    throw new Error(`${what} failed: ${error.name}${status ? ` (HTTP ${status})` : ''}: ${error.message}`);
  }
}
