import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DriftBackend } from '../../../constructs/sagemaker/drift-backend';
import { LibraryDriftJob } from '../../../constructs/sagemaker/drift-library-job';
import { DriftMonitor } from '../../../constructs/sagemaker/drift-monitor';
import { EncryptedBucket } from '../../../constructs/security/encrypted-bucket';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { PrivateNetwork } from '../../../constructs/security/private-network';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';

// One app: a drift monitor with default props (stack Drift), and one with every library job option (stack Tuned).
const app = new App();
const stack = new Stack(app, 'Drift');
const keys = new KeyRing(stack, 'Keys');
const capture = new EncryptedBucket(stack, 'Capture', { keys });
const monitor = new DriftMonitor(stack, 'Monitor', {
  endpointName: 'credit-risk', captureBucket: capture.bucket, baseline: { bucket: capture.bucket, key: 'baselines/credit-risk.json' },
});
const job = monitor.node.findChild('Job') as LibraryDriftJob;
const ring = monitor.node.findChild('Keys') as KeyRing;
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const topicRef = { Ref: id(monitor.reviewTopic as sns.Topic) };
const captureArn = { 'Fn::GetAtt': [id(capture.bucket), 'Arn'] };
const policyStatements = () => template.findResources('AWS::IAM::ManagedPolicy')[id(job.role.policy)].Properties.PolicyDocument.Statement;

const tuned = new Stack(app, 'Tuned');
const network = new PrivateNetwork(tuned, 'Network');
const tunedCapture = new EncryptedBucket(tuned, 'Capture');
const sharedTopic = sns.Topic.fromTopicArn(tuned, 'Reviewers', 'arn:aws:sns:eu-west-1:111122223333:model-risk-review');
new DriftMonitor(tuned, 'Monitor', {
  endpointName: 'fraud', captureBucket: tunedCapture.bucket, capturePrefix: '/', baseline: { bucket: tunedCapture.bucket, key: 'b.json' },
  backend: DriftBackend.libraryJob({ schedule: Duration.hours(6), window: Duration.hours(12), psiThreshold: 0.1, klThreshold: 0.05, minimumRecords: 500 }),
  reviewTopic: sharedTopic, vpc: network.vpc, s3PrefixListId: 'pl-6da54004',
});
// The whole app is synthesized once, after every construct exists.
const template = Template.fromStack(stack);
const tunedTemplate = Template.fromStack(tuned);

describe('DriftMonitor with the library job (defaults)', () => {
  test('runs the drift job on Node.js 22 in the isolated subnets, one run at a time, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'constructs/sagemaker/drift-job-handler/index.handler',
      ReservedConcurrentExecutions: 1,
      Timeout: 300,
      MemorySize: 1024,
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: [{ 'Fn::GetAtt': [id(monitor.securityGroups[0] as ec2.SecurityGroup), 'GroupId'] }] },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [id(job.deadLetterQueue), 'Arn'] } },
    });
  });

  test('tells the job the endpoint, capture location, baseline and window, and marks the function for MLOPS-SM-030', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          DRIFT_ENDPOINT_NAME: 'credit-risk',
          DRIFT_CAPTURE_BUCKET: { Ref: id(capture.bucket) },
          DRIFT_CAPTURE_PREFIX: 'data-capture',
          DRIFT_BASELINE_BUCKET: { Ref: id(capture.bucket) },
          DRIFT_BASELINE_KEY: 'baselines/credit-risk.json',
          DRIFT_WINDOW_HOURS: '1',
          DRIFT_MINIMUM_RECORDS: '100',
        },
      },
    });
  });

  test('runs 10 minutes past every hour', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(10 * * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id(job.function), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  test('logs to a log group encrypted with the LOGS key and kept a year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [id(ring.key(KeyPurpose.LOGS)), 'Arn'] }, RetentionInDays: 365,
    });
  });

  test('keeps failed runs in a KMS-encrypted, TLS-only dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [id(ring.key(KeyPurpose.LOGS)), 'Arn'] }, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('may list and read only the endpoint\'s capture prefix and the baseline object', () => {
    expect(policyStatements()).toEqual(expect.arrayContaining([
      {
        Sid: 'ListCapturedData', Effect: 'Allow', Action: 's3:ListBucket', Resource: captureArn,
        Condition: { StringLike: { 's3:prefix': ['data-capture/credit-risk/*'] } },
      },
      { Sid: 'ReadCapturedData', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [captureArn, '/data-capture/credit-risk/*']] } },
      { Sid: 'ReadBaseline', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [captureArn, '/baselines/credit-risk.json']] } },
    ]));
  });

  test('may put metrics only into its namespace, and decrypt with the capture key', () => {
    expect(policyStatements()).toEqual(expect.arrayContaining([
      {
        Sid: 'PublishDriftMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'RegulatedMlops/Drift' } },
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [id(keys.key(KeyPurpose.DATA)), 'Arn'] } },
    ]));
    const actions = policyStatements().flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.endsWith('*') || a === 's3:PutObject' || a.startsWith('s3:Delete'))).toEqual([]);
  });

  test('keeps every permission in a customer-managed policy: no inline policy, no AWS managed policy', () => {
    const roles = template.findResources('AWS::IAM::Role');
    expect(roles[id(job.role)].Properties.ManagedPolicyArns).toBeUndefined();
    expect(Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(id(job.role)))).toEqual([]);
    expect(template.findResources('AWS::IAM::ManagedPolicy')[id(job.role.policy)].Properties.Roles).toEqual([{ Ref: id(job.role) }]);
  });

  test('marks the role as a user of the DATA and LOGS keys, which their key policies require', () => {
    const tags = template.findResources('AWS::IAM::Role')[id(job.role)].Properties.Tags;
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'regulated-mlops:kms-data', Value: 'use' }, { Key: 'regulated-mlops:kms-logs', Value: 'use' }]));
  });

  test('alarms when the largest feature PSI exceeds 0.2 in 2 of 3 hourly runs, notifying the review topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'RegulatedMlops/Drift', MetricName: 'MaxFeaturePSI', Dimensions: [{ Name: 'EndpointName', Value: 'credit-risk' }],
      Statistic: 'Maximum', Period: 3600, Threshold: 0.2, ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef], OKActions: [topicRef],
    });
  });

  test('alarms when no captured rows were evaluated for two periods, treating a missing value as breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RecordsEvaluated', Statistic: 'Sum', Period: 3600, Threshold: 1, ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: 'breaching', AlarmActions: [topicRef],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(monitor.alarms).toHaveLength(2);
  });

  test('creates a review topic encrypted with the LOGS key, TLS only, open to CloudWatch alarms of this account', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [id(ring.key(KeyPurpose.LOGS)), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'CloudWatchAlarmsPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    const logsKey = template.findResources('AWS::KMS::Key')[id(ring.key(KeyPurpose.LOGS))];
    expect(logsKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Sid: 'CloudWatchAlarmsUseKeyForTopics', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    }));
  });

  test('lets the job out on HTTPS only, and nothing in', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Drift monitoring jobs'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('creates a private network with the S3 gateway and CloudWatch monitoring endpoints when no VPC is given', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface', ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.monitoring']] },
    });
  });

  test('ships the handler with the drift maths and nothing else', () => {
    const outdir = app.synth().directory;
    const code = template.findResources('AWS::Lambda::Function')[id(job.function)].Properties.Code;
    const assetDir = path.join(outdir, `asset.${String(code.S3Key['Fn::Sub'] ?? code.S3Key).replace(/\.zip$/, '')}`);
    const files = (dir: string, prefix = ''): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
    expect(files(assetDir).sort()).toEqual([
      'constructs/sagemaker/drift-job-handler/capture.js',
      'constructs/sagemaker/drift-job-handler/contract.js',
      'constructs/sagemaker/drift-job-handler/index.js',
      'lib/drift/baseline.js', 'lib/drift/binning.js', 'lib/drift/divergence.js', 'lib/drift/index.js', 'lib/drift/random.js',
    ]);
    // Every relative require of the handler resolves inside the asset.
    const handler = fs.readFileSync(path.join(assetDir, 'constructs/sagemaker/drift-job-handler/index.js'), 'utf8');
    for (const [, request] of handler.matchAll(/require\("(\.[^"]+)"\)/g)) {
      expect(fs.existsSync(`${path.join(assetDir, 'constructs/sagemaker/drift-job-handler', request)}.js`)).toBe(true);
    }
  });

  test('offers the drift metrics of the endpoint', () => {
    expect(stack.resolve(monitor.metricFeaturePsi('income').toMetricConfig().metricStat)).toMatchObject({
      namespace: 'RegulatedMlops/Drift', metricName: 'FeaturePSI', statistic: 'Maximum',
      dimensions: [{ name: 'EndpointName', value: 'credit-risk' }, { name: 'Feature', value: 'income' }],
    });
    expect(monitor.metricRecordsEvaluated().statistic).toBe('Sum');
    expect(monitor.metricMaxFeaturePsi().metricName).toBe('MaxFeaturePSI');
    expect(monitor.metricFeatureKl('age').metricName).toBe('FeatureKL');
  });

  test('passes every rule of every pack with only automatic acknowledgments', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result).every((line) => line.endsWith('(automatic)'))).toBe(true);
  });

  test('passes cdk-nag (AwsSolutions, HIPAA, NIST 800-53 R5, PCI DSS 3.2.1) with reasoned acknowledgments', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('DriftMonitor with library job options', () => {
  test('runs every 6 hours over a 12-hour window and alarms on 6-hour periods', () => {
    tunedTemplate.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(10 0/6 * * ? *)' });
    tunedTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DRIFT_WINDOW_HOURS: '12', DRIFT_MINIMUM_RECORDS: '500', DRIFT_CAPTURE_PREFIX: '' }) },
    });
    tunedTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MaxFeaturePSI', Period: 21600, Threshold: 0.1 });
  });

  test('adds a KL alarm and notifies the given topic', () => {
    tunedTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MaxFeatureKL', Threshold: 0.05, EvaluationPeriods: 3, DatapointsToAlarm: 2,
      AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:model-risk-review'],
    });
    tunedTemplate.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('reads the capture bucket root when the prefix is empty', () => {
    tunedTemplate.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ListCapturedData', Condition: { StringLike: { 's3:prefix': ['fraud/*'] } } })]) },
    });
  });

  test('uses the given VPC and limits egress to the VPC block and the S3 prefix list', () => {
    tunedTemplate.resourceCountIs('AWS::EC2::VPC', 1);
    tunedTemplate.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Drift monitoring jobs'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: { 'Fn::GetAtt': [tuned.getLogicalId(network.vpc.node.defaultChild as never), 'CidrBlock'] }, FromPort: 443, ToPort: 443 })],
    });
    // CDK renders a rule to a prefix list as a resource of its own.
    tunedTemplate.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { DestinationPrefixListId: 'pl-6da54004', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' });
  });
});

describe('DriftMonitor input checks', () => {
  const bad = new Stack(new App(), 'Bad');
  const bucket = new EncryptedBucket(bad, 'Capture').bucket;
  const base = { endpointName: 'credit-risk', captureBucket: bucket, baseline: { bucket, key: 'b.json' } };
  let n = 0;
  const build = (props: Partial<ConstructorParameters<typeof DriftMonitor>[2]>) => () => new DriftMonitor(bad, `M${n++}`, { ...base, ...props });

  test('fails on a schedule that does not divide a day, a fractional window and thresholds out of range, listing each', () => {
    const error = errorOf(build({ backend: DriftBackend.libraryJob({ schedule: Duration.hours(5), window: Duration.minutes(90), psiThreshold: 0, minimumRecords: -1 }) }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.problems.map((p) => p.path.replace(/^Bad\/M\d+:/, ''))).toEqual(['backend.schedule', 'backend.window', 'backend.psiThreshold', 'backend.minimumRecords']);
    expect(error.message).toContain("received '5 hours'; allowed: whole hours that divide a day: 1, 2, 3, 4, 6, 8, 12, 24. Fix: use Duration.hours(1)");
  });

  test('fails without a baseline for the library job', () => {
    const error = errorOf(build({ baseline: undefined }));
    expect(error.message).toMatch(/:baseline: received nothing \(undefined\); allowed: the S3 location of the baseline JSON/);
  });

  test('fails on an endpoint name SageMaker would reject', () => {
    expect(errorOf(build({ endpointName: '-credit_risk' })).message).toMatch(/:endpointName: received '-credit_risk'/);
  });

  test('fails on subnets or security groups without a VPC, and on log retention below a year', () => {
    const error = errorOf(build({
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [],
      backend: DriftBackend.libraryJob({ logRetention: 30 as never, timeout: Duration.minutes(20) }),
    }));
    expect(error.problems.map((p) => p.path.replace(/^Bad\/M\d+:/, ''))).toEqual(
      ['securityGroups', 'subnets', 'securityGroups', 'backend.timeout', 'backend.logRetention'],
    );
  });
});
