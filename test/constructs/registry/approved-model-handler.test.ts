import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ApprovedModelEvent, createHandler } from '../../../constructs/registry/approved-model-handler';
import { errors, JsonLoopback } from '../../support/sagemaker-loopback';

/**
 * The resolver with the real SDK client against a loopback server speaking SageMaker's JSON 1.1 protocol: request
 * serialization, timestamp parsing, pagination, retries and service errors are the SDK's own.
 */

const GROUP = 'credit-risk';
const ARN_PREFIX = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}`;
const REPOSITORY = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/credit-risk';
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

interface Version {
  readonly version: number;
  readonly created: string;
  readonly approval?: string;
  readonly status?: string;
}

const arnOf = (version: number) => `${ARN_PREFIX}/${version}`;

function summary(v: Version) {
  return {
    ModelPackageGroupName: GROUP,
    ModelPackageVersion: v.version,
    ModelPackageArn: arnOf(v.version),
    CreationTime: new Date(v.created),
    ModelPackageStatus: v.status ?? 'Completed',
    ModelApprovalStatus: v.approval ?? 'Approved',
  };
}

function description(v: Version, container: Record<string, unknown> = {}) {
  return {
    ModelPackageName: GROUP,
    ModelPackageGroupName: GROUP,
    ModelPackageVersion: v.version,
    ModelPackageArn: arnOf(v.version),
    CreationTime: new Date(v.created),
    ModelPackageStatus: v.status ?? 'Completed',
    ModelApprovalStatus: v.approval ?? 'Approved',
    InferenceSpecification: {
      Containers: [{
        Image: `${REPOSITORY}:v${v.version}`,
        ImageDigest: digest(v.version),
        ModelDataUrl: `s3://models/credit-risk/${v.version}/model.tar.gz`,
        ...container,
      }],
      SupportedContentTypes: ['text/csv'],
      SupportedResponseMIMETypes: ['text/csv'],
    },
  };
}

const create = (props: Partial<ApprovedModelEvent['ResourceProperties']> = {}): ApprovedModelEvent => ({
  RequestType: 'Create', ResourceProperties: { ModelPackageGroupName: GROUP, ...props },
});

let server: JsonLoopback;
let client: SageMakerClient;
let handler: ReturnType<typeof createHandler>;

beforeAll(async () => {
  server = await JsonLoopback.start();
  // As the Lambda's default client: three attempts, so throttling is retried.
  client = server.sageMakerClient(3);
  handler = createHandler(client);
});
afterAll(async () => {
  client.destroy();
  await server.close();
});
beforeEach(() => server.reset());

/** Serves `versions` from ListModelPackages (one page) and DescribeModelPackage. */
function registry(versions: Version[], container: Record<string, unknown> = {}): void {
  server.on('ListModelPackages', () => ({ body: { ModelPackageSummaryList: versions.map(summary) } }));
  server.on('DescribeModelPackage', (input) => {
    const found = versions.find((v) => arnOf(v.version) === input.ModelPackageName);
    return found ? { body: description(found, container) } : errors.validation(`ModelPackage ${input.ModelPackageName} does not exist.`);
  });
}

describe('newest approved version', () => {
  test('is picked over older approved and newer unapproved versions, with its image pinned by digest', async () => {
    registry([
      { version: 1, created: '2026-01-10T09:00:00Z' },
      { version: 4, created: '2026-03-01T09:00:00Z', approval: 'PendingManualApproval' },
      { version: 3, created: '2026-02-20T09:00:00.250Z' },
      { version: 5, created: '2026-03-05T09:00:00Z', approval: 'Rejected' },
      { version: 2, created: '2026-02-01T09:00:00Z' },
    ]);
    await expect(handler(create())).resolves.toEqual({
      PhysicalResourceId: arnOf(3),
      Data: {
        ModelPackageArn: arnOf(3),
        ImageUri: `${REPOSITORY}@${digest(3)}`,
        ModelDataUrl: 's3://models/credit-risk/3/model.tar.gz',
        ModelPackageVersion: '3',
      },
    });
    expect(server.requests.map((r) => r.operation)).toEqual(['ListModelPackages', 'DescribeModelPackage']);
  });

  test('asks the service for approved versioned packages of the group, newest first, with the JSON 1.1 headers', async () => {
    registry([{ version: 7, created: '2026-04-01T00:00:00Z' }]);
    await handler(create());
    const [list, describe] = server.requests;
    expect(list.input).toEqual({
      ModelPackageGroupName: GROUP, ModelPackageType: 'Versioned', ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 100,
    });
    expect(list.headers).toMatchObject({ 'x-amz-target': 'SageMaker.ListModelPackages', 'content-type': 'application/x-amz-json-1.1' });
    expect(list.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK\/\d{8}\/eu-west-1\/sagemaker\/aws4_request/);
    expect(describe.input).toEqual({ ModelPackageName: arnOf(7) });
  });

  test('follows NextToken across every page and takes the newest of all of them', async () => {
    // Page 1 holds older versions; the newest sits on the last page (as if the sort were not honoured).
    const pages: Record<string, { versions: Version[]; next?: string }> = {
      first: { versions: [{ version: 2, created: '2026-02-01T00:00:00Z' }, { version: 1, created: '2026-01-01T00:00:00Z' }], next: 'page-2' },
      'page-2': { versions: [{ version: 3, created: '2026-03-01T00:00:00Z' }], next: 'page-3' },
      'page-3': { versions: [{ version: 9, created: '2026-09-01T00:00:00Z' }, { version: 4, created: '2026-04-01T00:00:00Z' }] },
    };
    server.on('ListModelPackages', (input) => {
      const page = pages[input.NextToken ?? 'first'];
      return { body: { ModelPackageSummaryList: page.versions.map(summary), ...(page.next ? { NextToken: page.next } : {}) } };
    });
    server.on('DescribeModelPackage', () => ({ body: description({ version: 9, created: '2026-09-01T00:00:00Z' }) }));

    const result = await handler(create());
    expect(result.PhysicalResourceId).toBe(arnOf(9));
    const lists = server.requestsOf('ListModelPackages').map((r) => r.input);
    expect(lists.map((i) => i.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(lists.every((i) => i.SortOrder === 'Descending' && i.ModelApprovalStatus === 'Approved' && i.ModelPackageGroupName === GROUP)).toBe(true);
    expect(server.requestsOf('DescribeModelPackage').map((r) => r.input.ModelPackageName)).toEqual([arnOf(9)]);
  });

  test('breaks a tie in creation time by the higher version number', async () => {
    registry([{ version: 4, created: '2026-05-01T12:00:00Z' }, { version: 5, created: '2026-05-01T12:00:00Z' }]);
    expect((await handler(create())).PhysicalResourceId).toBe(arnOf(5));
  });

  test('skips approved versions whose package is not Completed', async () => {
    registry([{ version: 6, created: '2026-06-01T00:00:00Z', status: 'Failed' }, { version: 5, created: '2026-05-01T00:00:00Z' }]);
    expect((await handler(create())).PhysicalResourceId).toBe(arnOf(5));
  });

  test('passes the group ARN through for a group of another account', async () => {
    const groupArn = 'arn:aws:sagemaker:eu-west-1:444455556666:model-package-group/credit-risk';
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }]);
    await handler(create({ ModelPackageGroupName: groupArn }));
    expect(server.requestsOf('ListModelPackages')[0].input.ModelPackageGroupName).toBe(groupArn);
  });
});

describe('refusals', () => {
  test('a group with no approved version fails the deployment with a clear message', async () => {
    registry([
      { version: 1, created: '2026-01-01T00:00:00Z', approval: 'Rejected' },
      { version: 2, created: '2026-02-01T00:00:00Z', approval: 'PendingManualApproval' },
    ]);
    await expect(handler(create())).rejects.toThrow(
      'Model package group credit-risk has no approved version (ModelApprovalStatus Approved, status Completed): ' +
        'nothing may be deployed until the approver approves a registered version.',
    );
    expect(server.requestsOf('DescribeModelPackage')).toEqual([]);
  });

  test('an empty group is refused the same way', async () => {
    registry([]);
    await expect(handler(create())).rejects.toThrow(/^Model package group credit-risk has no approved version/);
  });

  test('a named version that is not approved is refused', async () => {
    registry([{ version: 8, created: '2026-08-01T00:00:00Z', approval: 'PendingManualApproval' }]);
    await expect(handler(create({ ModelPackageArn: arnOf(8) }))).rejects.toThrow(
      `Model package ${arnOf(8)} is PendingManualApproval, not Approved: only approved versions are deployed.`,
    );
    registry([{ version: 8, created: '2026-08-01T00:00:00Z', approval: 'Rejected' }]);
    await expect(handler(create({ ModelPackageArn: arnOf(8) }))).rejects.toThrow(`Model package ${arnOf(8)} is Rejected, not Approved`);
    expect(server.requestsOf('ListModelPackages')).toEqual([]);
  });

  test('a named version that is approved is resolved without listing the group', async () => {
    registry([{ version: 2, created: '2026-02-01T00:00:00Z' }, { version: 3, created: '2026-03-01T00:00:00Z' }]);
    const result = await handler(create({ ModelPackageArn: arnOf(2) }));
    expect(result.Data).toMatchObject({ ModelPackageArn: arnOf(2), ModelPackageVersion: '2', ImageUri: `${REPOSITORY}@${digest(2)}` });
    expect(server.requests.map((r) => r.operation)).toEqual(['DescribeModelPackage']);
  });

  test('a version listed as approved but revoked before it is described is refused', async () => {
    server.on('ListModelPackages', () => ({ body: { ModelPackageSummaryList: [summary({ version: 4, created: '2026-04-01T00:00:00Z' })] } }));
    server.on('DescribeModelPackage', () => ({ body: description({ version: 4, created: '2026-04-01T00:00:00Z', approval: 'Rejected' }) }));
    await expect(handler(create())).rejects.toThrow(`Model package ${arnOf(4)} was listed as Approved but is now Rejected`);
  });

  test('an image without a digest is refused: not pinned by digest', async () => {
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }], { ImageDigest: undefined });
    await expect(handler(create())).rejects.toThrow(`Model package ${arnOf(1)}: image ${REPOSITORY}:v1 not pinned by digest (no ImageDigest)`);
  });

  test('an image already pinned is kept; a disagreeing ImageDigest is refused', async () => {
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }], { Image: `${REPOSITORY}@${digest(1)}`, ImageDigest: undefined });
    expect((await handler(create())).Data?.ImageUri).toBe(`${REPOSITORY}@${digest(1)}`);
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }], { Image: `${REPOSITORY}@${digest(1)}`, ImageDigest: digest(2) });
    await expect(handler(create())).rejects.toThrow(`image ${REPOSITORY}@${digest(1)} and ImageDigest ${digest(2)} disagree`);
  });

  test('a pinned image digest passes only when the approved version runs exactly that image', async () => {
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }, { version: 2, created: '2026-02-01T00:00:00Z' }]);
    expect((await handler(create({ RequiredImageDigest: digest(2) }))).Data?.ImageUri).toBe(`${REPOSITORY}@${digest(2)}`);
    await expect(handler(create({ RequiredImageDigest: digest(1) }))).rejects.toThrow(
      `The approved version ${arnOf(2)} runs ${REPOSITORY}@${digest(2)}, not the pinned image ${digest(1)}: that image is not approved.`);
  });

  test('a registry on a port keeps its host when the tag is replaced by the digest', async () => {
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }], { Image: 'registry.internal:5000/models/credit:v1' });
    expect((await handler(create())).Data?.ImageUri).toBe(`registry.internal:5000/models/credit@${digest(1)}`);
  });

  test('a version without model data, or with several containers, is refused', async () => {
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }], { ModelDataUrl: undefined });
    await expect(handler(create())).rejects.toThrow(`Model package ${arnOf(1)} has no ModelDataUrl on its container`);
    server.reset();
    server.on('ListModelPackages', () => ({ body: { ModelPackageSummaryList: [summary({ version: 1, created: '2026-01-01T00:00:00Z' })] } }));
    server.on('DescribeModelPackage', () => {
      const body = description({ version: 1, created: '2026-01-01T00:00:00Z' });
      const [container] = body.InferenceSpecification.Containers;
      return { body: { ...body, InferenceSpecification: { ...body.InferenceSpecification, Containers: [container, container] } } };
    });
    await expect(handler(create())).rejects.toThrow(`Model package ${arnOf(1)} has 2 inference containers`);
  });
});

describe('service behaviour', () => {
  test('throttling is retried by the SDK client (3 attempts) and then succeeds', async () => {
    registry([{ version: 2, created: '2026-02-01T00:00:00Z' }]);
    const list = { body: { ModelPackageSummaryList: [summary({ version: 2, created: '2026-02-01T00:00:00Z' })] } };
    server.on('ListModelPackages', (_input, call) => (call === 1 ? errors.throttling() : list));
    expect((await handler(create())).PhysicalResourceId).toBe(arnOf(2));
    expect(server.requestsOf('ListModelPackages')).toHaveLength(2);
  });

  test('a service error is surfaced with its operation, code, status and message, and not retried', async () => {
    server.on('ListModelPackages', () => errors.validation('Model Package Group credit-risk does not exist.'));
    await expect(handler(create())).rejects.toThrow(
      'ListModelPackages of group credit-risk failed: ValidationException (HTTP 400): Model Package Group credit-risk does not exist.',
    );
    expect(server.requestsOf('ListModelPackages')).toHaveLength(1);
  });

  test('a server error persisting through every attempt is surfaced after three', async () => {
    server.on('DescribeModelPackage', () => errors.internalFailure('We encountered an internal error. Please try again.'));
    await expect(handler(create({ ModelPackageArn: arnOf(1) }))).rejects.toThrow(
      `DescribeModelPackage of ${arnOf(1)} failed: InternalFailure (HTTP 500): We encountered an internal error. Please try again.`,
    );
    expect(server.requestsOf('DescribeModelPackage')).toHaveLength(3);
  });

  test('a page token returned twice stops the listing instead of looping', async () => {
    server.on('ListModelPackages', () => ({ body: { ModelPackageSummaryList: [], NextToken: 'same' } }));
    await expect(handler(create())).rejects.toThrow('ListModelPackages of group credit-risk returned the page token same twice; stopping');
    expect(server.requestsOf('ListModelPackages')).toHaveLength(2);
  });

  test('Delete calls nothing and keeps the physical id', async () => {
    await expect(handler({ RequestType: 'Delete', PhysicalResourceId: arnOf(3), ResourceProperties: { ModelPackageGroupName: GROUP } }))
      .resolves.toEqual({ PhysicalResourceId: arnOf(3) });
    expect(server.requests).toEqual([]);
  });

  test('Update resolves again: a newly approved version changes the physical id', async () => {
    registry([{ version: 1, created: '2026-01-01T00:00:00Z' }, { version: 2, created: '2026-02-01T00:00:00Z' }]);
    const update: ApprovedModelEvent = {
      RequestType: 'Update', PhysicalResourceId: arnOf(1), ResourceProperties: { ModelPackageGroupName: GROUP, ApprovalToken: '2' },
    };
    expect((await handler(update)).PhysicalResourceId).toBe(arnOf(2));
  });
});
