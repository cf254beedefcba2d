import { readAssembly } from '../../lib/cli/read-assembly';
import type { AssemblyDiff, IamWidening } from '../../lib/diff/assembly-diff';
import { compareAssemblies } from '../../lib/diff/compare-assemblies';
import type { LoadedAssembly } from '../../lib/diff/loaded-assembly';
import { ACKNOWLEDGMENTS_METADATA_KEY } from '../../lib/policy/acknowledgment-records';
import { templateDocument } from '../../lib/policy/document';
import { APPROVER, EXPIRES_LATER, EXPIRES_SOON, PULL_ACCOUNT, REVIEW_DATE, synthesizeReviewApps } from './review-apps';

const dirs = synthesizeReviewApps('compare');
const oldAssembly = readAssembly(dirs.old, '/');
const newAssembly = readAssembly(dirs.new, '/');
const on = (date: string, withinDays = 30) => ({ date: new Date(`${date}T00:00:00.000Z`), expiringWithinDays: withinDays });
const diff = compareAssemblies(oldAssembly, newAssembly, on(REVIEW_DATE));

/** The logical id of the resource at a construct path in a loaded assembly. */
function logicalIdAt(assembly: LoadedAssembly, constructPath: string): string {
  const found = assembly.stacks.flatMap((s) => s.document.resources).find((r) => r.constructPath === constructPath);
  if (!found) throw new Error(`no resource at ${constructPath}`);
  return found.logicalId;
}

function nothingElse(d: AssemblyDiff, except: Partial<Record<keyof AssemblyDiff['counts'], number>>): void {
  const zero = Object.fromEntries(Object.keys(d.counts).map((k) => [k, 0]));
  expect(d.counts).toEqual({ ...zero, ...except });
}

describe('compareAssemblies: the deliberate changes of the new version, each reported once', () => {
  test('stacks pair by artifact id across the nested stage; Prod/Monitoring is added, Sandbox removed with its stateful resources', () => {
    expect(diff.stacks.added).toEqual([{ stack: 'Prod/Monitoring', artifactId: expect.stringMatching(/^ProdMonitoring/), stackName: 'Prod-Monitoring', resources: 1 }]);
    expect(diff.stacks.removed).toHaveLength(1);
    const sandbox = diff.stacks.removed[0];
    expect(sandbox).toMatchObject({ stack: 'Sandbox', stackName: 'Sandbox' });
    expect(sandbox.stateful.map((r) => [r.constructPath, r.type, r.retained, r.stateful])).toEqual(expect.arrayContaining([
      ['Sandbox/Scratch/Resource/Resource', 'AWS::S3::Bucket', true, true],
      ['Sandbox/Scratch/AccessLogs/Resource/Resource', 'AWS::S3::Bucket', true, true],
      ['Sandbox/Scratch/Keys/Data/Resource', 'AWS::KMS::Key', true, true],
    ]));
    expect(sandbox.stateful).toHaveLength(3);
  });

  test('IAM: the s3:* on * statement, the Deny removed with the queue policy, the cross-account pull on the nested repository', () => {
    const role = logicalIdAt(newAssembly, 'Platform/TrainingRole/Resource');
    const repository = logicalIdAt(newAssembly, 'Prod/Registry/Images/Resource/Resource');
    const queue = logicalIdAt(newAssembly, 'Platform/Jobs/Resource');
    expect(diff.iam).toHaveLength(3);
    expect(diff.iam).toEqual(expect.arrayContaining<IamWidening>([
      {
        stack: 'Platform', logicalId: logicalIdAt(newAssembly, 'Platform/TrainingRole/DefaultPolicy/Resource'), type: 'AWS::IAM::Policy',
        constructPath: 'Platform/TrainingRole/DefaultPolicy/Resource', change: 'statement-added',
        statement: { effect: 'Allow', actions: ['s3:*'], resources: ['*'], principals: [`AWS:\${${role}}`], negated: [] },
        wildcards: ['action', 'resource'],
      },
      {
        stack: 'Platform', logicalId: logicalIdAt(oldAssembly, 'Platform/Jobs/Policy/Resource'), type: 'AWS::SQS::QueuePolicy',
        constructPath: 'Platform/Jobs/Policy/Resource', change: 'deny-removed',
        statement: {
          effect: 'Deny', actions: ['sqs:*'], resources: [`\${${queue}.Arn}`], principals: ['AWS:*'], negated: [],
          condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      },
      {
        stack: 'Prod/Registry', logicalId: repository, type: 'AWS::ECR::Repository', constructPath: 'Prod/Registry/Images/Resource/Resource',
        change: 'statement-added',
        statement: {
          sid: 'CrossAccountPull', effect: 'Allow',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [`\${${repository}.Arn}`], principals: [`AWS:arn:\${AWS::Partition}:iam::${PULL_ACCOUNT}:root`], negated: [],
        },
        wildcards: [],
      },
    ]));
  });

  test('weakened: TLS no longer enforced on the queue (acknowledged; it passed), and 0.0.0.0/0 into the endpoint security group', () => {
    const group = logicalIdAt(newAssembly, 'Platform/Network/EndpointSecurityGroup/Resource');
    expect(diff.weakened).toHaveLength(2);
    expect(diff.weakened).toEqual(expect.arrayContaining([
      {
        kind: 'rule', stack: 'Platform', logicalId: logicalIdAt(newAssembly, 'Platform/Jobs/Resource'), type: 'AWS::SQS::Queue',
        constructPath: 'Platform/Jobs/Resource', concerns: ['encryption'], ruleId: 'MLOPS-SQS-002',
        title: 'SQS queue policy denies access without TLS', property: 'Properties', message: expect.stringContaining('no AWS::SQS::QueuePolicy names this queue'),
        status: 'acknowledged', before: 'pass',
        acknowledgment: expect.objectContaining({ ruleId: 'MLOPS-SQS-002', scope: 'Platform/Jobs', approvedBy: APPROVER, ticket: 'RISK-8', expires: EXPIRES_LATER }),
      },
      {
        kind: 'open-ingress', stack: 'Platform', logicalId: group, type: 'AWS::EC2::SecurityGroup',
        constructPath: 'Platform/Network/EndpointSecurityGroup/Resource', concerns: ['public-exposure'],
        group: `\${${group}.GroupId}`, protocol: 'TCP 443', peer: '0.0.0.0/0',
      },
    ]));
  });

  test('acknowledgments: two added, the one expiring in 10 days listed as expiring', () => {
    const iamAck = {
      ruleId: 'MLOPS-IAM-002', scope: 'Platform/TrainingRole', approvedBy: APPROVER, ticket: 'RISK-7', expires: EXPIRES_SOON,
      reason: 'The migration job copies every bucket of the account until the cut-over',
      resources: ['Platform/TrainingRole/Resource', 'Platform/TrainingRole/DefaultPolicy/Resource'],
    };
    expect(diff.acknowledgments.added).toEqual([
      iamAck,
      {
        ruleId: 'MLOPS-SQS-002', scope: 'Platform/Jobs', approvedBy: APPROVER, ticket: 'RISK-8', expires: EXPIRES_LATER,
        reason: 'The legacy scheduler only speaks plain HTTP inside the VPC until its replacement ships', resources: ['Platform/Jobs/Resource'],
      },
    ]);
    expect(diff.acknowledgments.removed).toEqual([]);
    expect(diff.acknowledgments.changed).toEqual([]);
    expect(diff.acknowledgments.expiring).toEqual([{ ...iamAck, daysLeft: 10, expired: false }]);
  });

  test('replacements: the serving group (its description), and the two rules that reference it', () => {
    const serving = logicalIdAt(newAssembly, 'Platform/Network/Serving/Resource');
    expect(diff.replacements.map((r) => [r.constructPath, r.type, r.impact, r.causes, r.stateful])).toEqual(expect.arrayContaining([
      ['Platform/Network/Serving/Resource', 'AWS::EC2::SecurityGroup', 'will-replace', [{ property: 'GroupDescription' }], false],
      [expect.stringMatching(/^Platform\/Network\/EndpointSecurityGroup\/from PlatformNetworkServing/), 'AWS::EC2::SecurityGroupIngress', 'will-replace',
        [{ property: 'SourceSecurityGroupId', replacedReference: serving }], false],
      [expect.stringMatching(/^Platform\/Network\/Serving\/to PlatformNetworkEndpointSecurityGroup/), 'AWS::EC2::SecurityGroupEgress', 'will-replace',
        [{ property: 'GroupId', replacedReference: serving }], false],
    ]));
    expect(diff.replacements).toHaveLength(3);
  });

  test('removals: the queue policy (not stateful, deleted)', () => {
    expect(diff.removals).toEqual([{
      stack: 'Platform', logicalId: logicalIdAt(oldAssembly, 'Platform/Jobs/Policy/Resource'), type: 'AWS::SQS::QueuePolicy',
      constructPath: 'Platform/Jobs/Policy/Resource', retained: false, stateful: false,
    }]);
  });

  test('counts are the list lengths; the diff needs review', () => {
    nothingElse(diff, {
      stacksAdded: 1, stacksRemoved: 1, iam: 3, weakened: 2, acknowledgmentsAdded: 2, acknowledgmentsExpiring: 1, replacements: 3, removals: 1,
    });
    expect(diff.needsReview).toBe(true);
  });

  test('the notifier function and layer shipped new code (their asset hash changed), which is not reported', () => {
    expect(JSON.stringify(diff)).not.toContain('Notifier');
    // Without the asset hashes left out, the layer version (replaced on any content change) would be reported.
    const noHashes = (a: LoadedAssembly) => ({ ...a, assetHashes: new Set<string>() });
    const raw = compareAssemblies(noHashes(oldAssembly), noHashes(newAssembly), on(REVIEW_DATE));
    expect(raw.replacements.filter((r) => r.constructPath?.startsWith('Platform/Notifier')).map((r) => [r.constructPath, r.causes])).toEqual([
      ['Platform/NotifierLayer/Resource', [{ property: 'Content' }]],
    ]);
  });
});

describe('compareAssemblies: what is not a change', () => {
  test('an assembly against itself: nothing to review', () => {
    const same = compareAssemblies(oldAssembly, oldAssembly, on(REVIEW_DATE));
    nothingElse(same, {});
    expect(same.needsReview).toBe(false);
  });

  test('an unchanged acknowledgment that expires soon is still listed (and nothing else)', () => {
    const same = compareAssemblies(newAssembly, newAssembly, on(REVIEW_DATE));
    nothingElse(same, { acknowledgmentsExpiring: 1 });
    expect(same.needsReview).toBe(true);
    nothingElse(compareAssemblies(newAssembly, newAssembly, on(REVIEW_DATE, 9)), {});
  });

  test('after its last day the acknowledgment is listed as expired', () => {
    const later = compareAssemblies(newAssembly, newAssembly, on('2026-12-07'));
    expect(later.acknowledgments.expiring).toEqual([expect.objectContaining({ ruleId: 'MLOPS-IAM-002', daysLeft: -1, expired: true })]);
  });

  test('going back from new to old: narrowing is not widening, the acknowledgments are removed', () => {
    const back = compareAssemblies(newAssembly, oldAssembly, on(REVIEW_DATE));
    // Only the Sandbox stack, added again, brings permissions (its bucket and key policies): the s3:* statement, the
    // queue policy's Deny and the repository statement going away widen nothing.
    expect(back.iam.length).toBeGreaterThan(0);
    expect(back.iam.every((w) => w.stack === 'Sandbox')).toBe(true);
    expect(back.weakened).toEqual([]);
    expect(back.acknowledgments.removed.map((a) => `${a.ruleId}@${a.scope}`)).toEqual(['MLOPS-IAM-002@Platform/TrainingRole', 'MLOPS-SQS-002@Platform/Jobs']);
    expect(back.stacks.added.map((s) => s.stack)).toEqual(['Sandbox']);
    expect(back.stacks.removed.map((s) => [s.stack, s.stateful])).toEqual([['Prod/Monitoring', []]]);
    expect(back.removals).toEqual([]);
  });

  test('a renewed acknowledgment is listed as changed, with its old and new terms', () => {
    const renewed = withAcknowledgmentExpiry(newAssembly, 'MLOPS-SQS-002', '2027-12-31');
    const changes = compareAssemblies(newAssembly, renewed, on(REVIEW_DATE));
    expect(changes.acknowledgments.changed).toEqual([{
      ruleId: 'MLOPS-SQS-002', scope: 'Platform/Jobs', resources: ['Platform/Jobs/Resource'],
      before: expect.objectContaining({ expires: EXPIRES_LATER, ticket: 'RISK-8' }),
      after: expect.objectContaining({ expires: '2027-12-31', ticket: 'RISK-8' }),
    }]);
    nothingElse(changes, { acknowledgmentsChanged: 1, acknowledgmentsExpiring: 1 });
  });
});

/** The assembly with one acknowledgment's expiry rewritten in its template metadata (as a renewal would). */
function withAcknowledgmentExpiry(assembly: LoadedAssembly, ruleId: string, expires: string): LoadedAssembly {
  return {
    ...assembly,
    stacks: assembly.stacks.map((stack) => {
      const template = JSON.parse(JSON.stringify(stack.template));
      for (const resource of Object.values<any>(template.Resources)) {
        for (const record of resource.Metadata?.[ACKNOWLEDGMENTS_METADATA_KEY] ?? []) {
          if (record.ruleId === ruleId) record.expires = expires;
        }
      }
      const document = templateDocument(template, {
        source: stack.document.source, stack: stack.stack, constructPathOf: (id) => stack.document.byLogicalId.get(id)?.constructPath,
      });
      return { ...stack, template, document };
    }),
  };
}
