import { App, Duration, Size, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CapacitySize } from '../../../constructs/sagemaker/capacity-size';
import { DeploymentStrategy } from '../../../constructs/sagemaker/deployment-strategy';
import { InstanceStorage } from '../../../constructs/sagemaker/instance-types';
import { ModelEndpoint, ModelEndpointProps } from '../../../constructs/sagemaker/model-endpoint';
import { ModelSource } from '../../../constructs/sagemaker/model-source';
import { AuditTrail } from '../../../constructs/security/audit-trail';
import { EncryptedBucket } from '../../../constructs/security/encrypted-bucket';
import { ImageRepository } from '../../../constructs/security/image-repository';
import { KeyPurpose, KeyRing, keyUserTag } from '../../../constructs/security/key-ring';
import { PrivateNetwork } from '../../../constructs/security/private-network';
import { DATA_CLASS_TAG } from '../../../lib/policy/rules/aws/cloudtrail/model-buckets-s3-data-events';
import endpointConfigMinInstances from '../../../lib/policy/rules/aws/sagemaker/endpoint-config-min-instances';
import endpointConfigVolumeKms from '../../../lib/policy/rules/aws/sagemaker/endpoint-config-volume-kms';
import endpointGuardedDeployment from '../../../lib/policy/rules/aws/sagemaker/endpoint-guarded-deployment';
import modelImagePinned from '../../../lib/policy/rules/aws/sagemaker/model-image-pinned';
import rollbackAlarmsScoped from '../../../lib/policy/rules/aws/sagemaker/rollback-alarms-scoped';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { outcomesOnStack, verdictsOnStack } from '../../policy/rule-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';
import { DIGEST, ResolvedApprovedModel } from './model-endpoint-fixtures';

const app = new App();

// The defaults: a GPU type with local NVMe storage (ml.g5.xlarge), a model pinned by digest with its artifact, and the
// audit trail that records the capture bucket (captured inference data must be in S3 data events, MLOPS-CT-010).
const stack = new Stack(app, 'Serving');
const images = new ImageRepository(stack, 'Images');
const models = new EncryptedBucket(stack, 'Models', { purpose: KeyPurpose.MODEL_ARTIFACTS });
const trail = new AuditTrail(stack, 'AuditTrail');
const endpoint = new ModelEndpoint(stack, 'Fraud', {
  model: ModelSource.fromImage({ repository: images.repository, digest: DIGEST, modelData: { bucket: models.bucket, key: 'fraud/v12/model.tar.gz' } }),
  instanceType: 'ml.g5.xlarge',
  auditTrail: trail,
});
const drift = endpoint.monitorDrift({ baseline: { bucket: models.bucket, key: 'fraud/v12/baseline.json' } });

// Options: an EBS-backed type, a shared key ring and network, a second variant serving the approved model, a linear
// rollout on 3 instances, a business KPI rollback alarm, capture options, a fixed name; and grants.
const optionsStack = new Stack(app, 'ServingOptions');
const keys = new KeyRing(optionsStack, 'Keys');
const sharedImages = new ImageRepository(optionsStack, 'Images', { keys });
const sharedModels = new EncryptedBucket(optionsStack, 'Models', { keys, purpose: KeyPurpose.MODEL_ARTIFACTS });
const network = new PrivateNetwork(optionsStack, 'Network', { keys });
const optionsTrail = new AuditTrail(optionsStack, 'AuditTrail', { keys });
const kpi = new cloudwatch.Alarm(optionsStack, 'ApprovalRate', {
  metric: new cloudwatch.Metric({ namespace: 'Fraud/Business', metricName: 'ApprovalRate', period: Duration.minutes(5) }),
  threshold: 0.4, evaluationPeriods: 3, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
});
kpi.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(optionsStack, 'BusinessAlerts', { masterKey: keys.key(KeyPurpose.LOGS), enforceSSL: true })));
const approved = new ResolvedApprovedModel(optionsStack, 'Approved');
const options = new ModelEndpoint(optionsStack, 'Fraud', {
  model: ModelSource.fromImage({ repository: sharedImages.repository, digest: DIGEST, modelData: { bucket: sharedModels.bucket, key: 'fraud/v12/model.tar.gz' } }),
  instanceType: 'ml.p3.2xlarge',
  instanceCount: 3,
  initialWeight: 9,
  additionalVariants: [{
    variantName: 'Challenger',
    model: ModelSource.fromApprovedModel(approved, { imageRepository: sharedImages.repository, artifactBucket: sharedModels.bucket, artifactKeyPattern: 'fraud/*' }),
    initialWeight: 1,
  }],
  volumeSize: Size.gibibytes(50),
  keys,
  network: { vpc: network.vpc, subnets: network.isolatedSubnets, s3PrefixListId: 'pl-6ea54007' },
  deployment: DeploymentStrategy.linear({ stepSize: CapacitySize.percent(20), wait: Duration.minutes(4), maxExecutionTimeout: Duration.hours(2) }),
  rollbackAlarms: [kpi],
  latencyThreshold: Duration.millis(250),
  errorThreshold: 5,
  dataCapture: { samplingPercentage: 50, prefix: 'capture', jsonContentTypes: ['application/json'] },
  auditTrail: optionsTrail,
  endpointName: 'fraud-scoring',
});
options.monitorDrift({ baseline: { bucket: sharedModels.bucket, key: 'fraud/v12/baseline.json' } });
const caller = new iam.Role(optionsStack, 'ScoringApi', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
options.grantInvoke(caller);
// The grantee is a fixture: its grants land in CDK's default inline policy, which is the caller's business.
for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
  Validations.of(caller).acknowledge({ id: `${pack}-IAMNoInlinePolicy`, reason: 'Test fixture standing for the API that calls the endpoint; not part of ModelEndpoint.' });
}

// Synthesizes the app: every stack of it is complete by now.
const template = Template.fromStack(stack);
const optionsTemplate = Template.fromStack(optionsStack);

const id = (construct: { node: { defaultChild?: unknown } } | unknown, scope: Stack = stack) =>
  scope.getLogicalId(((construct as any).node?.defaultChild ?? construct) as never);
const arnOf = (construct: unknown, scope: Stack = stack) => ({ 'Fn::GetAtt': [id(construct, scope), 'Arn'] });
const configName = (scope: Stack, e: ModelEndpoint) => ({ 'Fn::GetAtt': [id(e.endpointConfig, scope), 'EndpointConfigName'] });
const keyOf = (e: ModelEndpoint, purpose: KeyPurpose) => (e.node.findChild('Keys') as KeyRing).key(purpose);
const warningsOf = (s: Stack, warningId: string) => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${warningId}\\]`))
  .map((w) => String(w.entry.data));

describe('ModelEndpoint defaults', () => {
  test('runs the model with network isolation in the isolated subnets of its own private network', () => {
    const isolatedSubnets = endpoint.network!.vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId));
    template.hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      VpcConfig: { Subnets: isolatedSubnets, SecurityGroupIds: [{ 'Fn::GetAtt': [id(endpoint.securityGroups[0]), 'GroupId'] }] },
    });
    expect(isolatedSubnets).toHaveLength(2);
  });

  test('pins the image by digest and names the artifact', () => {
    const image = new Capture();
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { Image: image, ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: id(models.bucket) }, '/fraud/v12/model.tar.gz']] } },
    });
    expect(image.asObject()['Fn::Join'][1].at(-1)).toBe(`@${DIGEST}`);
  });

  test('gives the model security group HTTPS egress only and no ingress', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Model containers of Serving/Fraud'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('omits the volume key and size on an NVMe instance type, with two variants-free defaults: 2 instances of AllTraffic', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.absent(),
      ProductionVariants: [{
        VariantName: 'AllTraffic', InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 2, InitialVariantWeight: 1,
        ModelName: { 'Fn::GetAtt': [id(endpoint.models[0]), 'ModelName'] },
      }],
    });
    expect(template.findResources('AWS::SageMaker::EndpointConfig')[id(endpoint.endpointConfig)].Properties.ProductionVariants[0].VolumeSizeInGB).toBeUndefined();
    expect(endpoint.instanceStorage).toBe(InstanceStorage.NVME);
  });

  test('records why there is no volume key: a construct warning and the cdk-nag acknowledgments on the endpoint config', () => {
    expect(warningsOf(stack, 'regulated-mlops:nvme-volume-key')).toEqual([expect.stringContaining(
      'ml.g5.xlarge: no KMS key on the ML volume and no volume size. ml.g5.xlarge has local NVMe instance storage, encrypted by a hardware module',
    )]);
    const acknowledged = endpoint.endpointConfig.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data);
    const ids = acknowledged.flatMap((d) => Object.keys(d as object)).map((k) => k.replace(/^annotation::/i, ''));
    expect(ids).toEqual(['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'].map((p) => `${p}-SageMakerEndpointConfigurationKMSKeyConfigured`));
    expect(Object.values(acknowledged[0] as object)[0]).toMatch(/rejects KmsKeyId .* and VolumeSizeInGB/);
  });

  test('captures every request and response into its own bucket with the DATA key', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: id(endpoint.dataCaptureBucket) }, '/data-capture']] },
        KmsKeyId: arnOf(keyOf(endpoint, KeyPurpose.DATA)),
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(keyOf(endpoint, KeyPurpose.DATA)) } }] },
      Tags: Match.arrayWith([{ Key: DATA_CLASS_TAG, Value: 'inference-capture' }]),
    });
  });

  test('deploys blue/green with a 10% canary, 10 minutes bake and final bake, 1 hour timeout, rolled back by its two alarms', () => {
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: endpoint.endpointName,
      EndpointConfigName: configName(stack, endpoint),
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
          TerminationWaitInSeconds: 600,
          MaximumExecutionTimeoutInSeconds: 3600,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: { Ref: id(endpoint.errorAlarm) } }, { AlarmName: { Ref: id(endpoint.latencyAlarm) } }] },
      },
    });
  });

  test('has a deterministic name SageMaker accepts', () => {
    expect(endpoint.endpointName).toMatch(/^Serving-Fraud-[A-F0-9]{8}$/);
  });

  test('rolls back on any 5XX of the new config in a minute, ignoring minutes without traffic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker', MetricName: 'Invocation5XXErrors', Statistic: 'Sum', Period: 60,
      Dimensions: [
        { Name: 'EndpointConfigName', Value: configName(stack, endpoint) },
        { Name: 'EndpointName', Value: endpoint.endpointName },
        { Name: 'VariantName', Value: 'AllTraffic' },
      ],
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching',
      AlarmName: Match.absent(),
    });
  });

  test('rolls back when the new config\'s p99 ModelLatency exceeds 500 ms, in microseconds', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ModelLatency', ExtendedStatistic: 'p99', Period: 60,
      Dimensions: Match.arrayWith([{ Name: 'EndpointConfigName', Value: configName(stack, endpoint) }]),
      Threshold: 500000, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching',
    });
  });

  test('notifies an SNS topic encrypted with the LOGS key, publishing over TLS only and from this account\'s alarms', () => {
    const topic = id(endpoint.alarmTopic);
    for (const alarm of [endpoint.errorAlarm, endpoint.latencyAlarm]) {
      expect(template.findResources('AWS::CloudWatch::Alarm')[id(alarm)].Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(keyOf(endpoint, KeyPurpose.LOGS)) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          { Sid: 'CloudWatchAlarmsPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topic },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('logs key \\(Serving/Fraud/Keys\\)'),
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudWatchAlarmsUseKeyForTopics', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('writes container logs to an encrypted log group of the endpoint, kept a year', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/aws/sagemaker/Endpoints/${endpoint.endpointName}`, KmsKeyId: arnOf(keyOf(endpoint, KeyPurpose.LOGS)), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('assumes a role only SageMaker of this account can assume, with a customer-managed policy of exact statements', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{
        Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }] },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
      Tags: [{ Key: keyUserTag(KeyPurpose.DATA), Value: 'use' }, { Key: keyUserTag(KeyPurpose.MODEL_ARTIFACTS), Value: 'use' }],
    });
    const inline = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(id(endpoint.role)));
    expect(inline).toEqual([]);
    const statements = new Capture();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: id(endpoint.role) }], PolicyDocument: { Statement: statements } });
    expect(statements.asArray().map((s: any) => [s.Sid, s.Action, s.Resource])).toEqual([
      ['EcrAuthorization', 'ecr:GetAuthorizationToken', '*'],
      ['PullServingImages', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], arnOf(images.repository)],
      ['ModelNetworkInterfaces', expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DescribeSubnets']), '*'],
      ['ContainerLogs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], arnOf(endpoint.logGroup)],
      ['EndpointMetrics', 'cloudwatch:PutMetricData', '*'],
      ['ReadModelArtifacts', 's3:GetObject', { 'Fn::Join': ['', [arnOf(models.bucket), '/fraud/v12/model.tar.gz']] }],
      ['DecryptModelArtifacts', 'kms:Decrypt', arnOf(models.encryptionKey)],
      ['WriteDataCapture', 's3:PutObject', { 'Fn::Join': ['', [arnOf(endpoint.dataCaptureBucket), `/data-capture/${endpoint.endpointName}/*`]] }],
      ['EncryptDataCapture', ['kms:Encrypt', 'kms:GenerateDataKey'], arnOf(keyOf(endpoint, KeyPurpose.DATA))],
    ]);
    expect(statements.asArray()[4].Condition).toEqual({ StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } });
  });

  test('retains replaced models and endpoint configs, and creates them after the role\'s policy', () => {
    for (const type of ['AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig']) {
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    template.hasResource('AWS::SageMaker::Model', { DependsOn: Match.arrayWith([id(endpoint.node.findChild('ExecutionPolicy'))]) });
    template.hasResource('AWS::SageMaker::Endpoint', { DependsOn: Match.arrayWith([id(endpoint.node.findChild('ExecutionPolicy')), id(endpoint.logGroup)]) });
    expect(template.findResources('AWS::SageMaker::Endpoint')[id(endpoint.endpoint)].DeletionPolicy).toBeUndefined();
  });

  test('does not hard-code the names of models and endpoint configs (replacements get new names)', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', { ModelName: Match.absent() });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { EndpointConfigName: Match.absent() });
  });

  test('warns that a 10% canary of 2 instances is half of the traffic, and offers the weighted alternative', () => {
    expect(warningsOf(stack, 'regulated-mlops:canary-share')).toEqual([expect.stringMatching(
      /^A 10% canary of AllTraffic \(2 instances\) is 1 whole instance: about 50% of the traffic, not 10% .*10 instances would give 10%\. Alternative: .*initialWeight 9 and 1.*does not roll that back/,
    )]);
  });

  test('passes the deployment, scoping, redundancy and pinning rules (MLOPS-SM-020 to 023) and the volume key rule', () => {
    for (const rule of [endpointGuardedDeployment, rollbackAlarmsScoped, endpointConfigMinInstances, modelImagePinned]) {
      expect({ rule: rule.id, verdicts: Object.values(verdictsOnStack(rule, stack)) }).toEqual({ rule: rule.id, verdicts: ['pass'] });
    }
    expect(outcomesOnStack(endpointConfigVolumeKms, stack, id(endpoint.endpointConfig))).toEqual([
      { status: 'pass', note: expect.stringContaining('ml.g5.xlarge has NVMe instance storage') },
    ]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('ModelEndpoint options', () => {
  test('encrypts the ML volume of an EBS-backed type with the MODEL_ARTIFACTS key, sized as asked', () => {
    optionsTemplate.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: arnOf(keys.key(KeyPurpose.MODEL_ARTIFACTS), optionsStack),
      ProductionVariants: [
        Match.objectLike({ VariantName: 'AllTraffic', InstanceType: 'ml.p3.2xlarge', InitialInstanceCount: 3, InitialVariantWeight: 9, VolumeSizeInGB: 50 }),
        Match.objectLike({ VariantName: 'Challenger', InstanceType: 'ml.p3.2xlarge', InitialInstanceCount: 2, InitialVariantWeight: 1, VolumeSizeInGB: 50 }),
      ],
    });
    expect(options.instanceStorage).toBe(InstanceStorage.EBS);
    expect(warningsOf(optionsStack, 'regulated-mlops:nvme-volume-key')).toEqual([]);
  });

  test('serves the approved model from its resolver, recording the package version on the model', () => {
    optionsTemplate.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { Image: { 'Fn::GetAtt': [id(approved.node.defaultChild, optionsStack), 'ImageUri'] }, ModelDataUrl: { 'Fn::GetAtt': [id(approved.node.defaultChild, optionsStack), 'ModelDataUrl'] } },
      Tags: [{ Key: 'regulated-mlops:model-package-arn', Value: { 'Fn::GetAtt': [id(approved.node.defaultChild, optionsStack), 'ModelPackageArn'] } }],
      EnableNetworkIsolation: true,
    });
    optionsTemplate.resourceCountIs('AWS::SageMaker::Model', 2);
  });

  test('lets the role read only the registry\'s artifact prefix for the approved model, and says why in the cdk-nag acknowledgment', () => {
    optionsTemplate.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Sid: 'ReadModelArtifacts', Effect: 'Allow', Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [arnOf(sharedModels.bucket, optionsStack), '/fraud/v12/model.tar.gz']] },
          { 'Fn::Join': ['', [arnOf(sharedModels.bucket, optionsStack), '/fraud/*']] },
        ],
      }]) },
    });
    const policy = options.node.findChild('ExecutionPolicy');
    const acknowledged = Object.keys(Object.assign({}, ...policy.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data)));
    expect(acknowledged.map((k) => k.replace(/^annotation::/i, ''))).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::<${id(options.dataCaptureBucket, optionsStack)}.Arn>/capture/fraud-scoring/*]`,
      `AwsSolutions-IAM5[Resource::<${id(sharedModels.bucket, optionsStack)}.Arn>/fraud/*]`,
    ]);
  });

  test('rolls out linearly in 20% steps of 4 minutes within 2 hours', () => {
    optionsTemplate.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'fraud-scoring',
      DeploymentConfig: Match.objectLike({
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 20 }, WaitIntervalInSeconds: 240 },
          TerminationWaitInSeconds: 600,
          MaximumExecutionTimeoutInSeconds: 7200,
        },
      }),
    });
  });

  test('adds the user\'s alarm to the rollback alarms after its own', () => {
    optionsTemplate.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: Match.objectLike({
        AutoRollbackConfiguration: { Alarms: [options.errorAlarm, options.latencyAlarm, kpi].map((a) => ({ AlarmName: { Ref: id(a, optionsStack) } })) },
      }),
    });
    expect(options.rollbackAlarms).toEqual([options.errorAlarm, options.latencyAlarm, kpi]);
  });

  test('with several variants, alarms on the sum of 5XX and the worst p99 of every variant of the new config', () => {
    const scoped = (metricName: string, stat: string, variant: string, i: number) => ({
      Id: `m${i}`, ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/SageMaker', MetricName: metricName,
          Dimensions: [{ Name: 'EndpointConfigName', Value: configName(optionsStack, options) }, { Name: 'EndpointName', Value: 'fraud-scoring' }, { Name: 'VariantName', Value: variant }],
        },
        Period: 60, Stat: stat,
      },
    });
    optionsTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      Metrics: [Match.objectLike({ Expression: 'SUM([m0, m1])', ReturnData: true }), scoped('Invocation5XXErrors', 'Sum', 'AllTraffic', 0), scoped('Invocation5XXErrors', 'Sum', 'Challenger', 1)],
    });
    optionsTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 250000,
      Metrics: [Match.objectLike({ Expression: 'MAX([m0, m1])' }), scoped('ModelLatency', 'p99', 'AllTraffic', 0), scoped('ModelLatency', 'p99', 'Challenger', 1)],
    });
  });

  test('uses the network given, with HTTPS only to the VPC and the S3 prefix list', () => {
    optionsTemplate.hasResourceProperties('AWS::SageMaker::Model', {
      VpcConfig: Match.objectLike({ Subnets: network.vpc.isolatedSubnets.map((s) => optionsStack.resolve(s.subnetId)) }),
    });
    expect(options.network).toBeUndefined();
    optionsTemplate.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Model containers'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: { 'Fn::GetAtt': [id(network.vpc, optionsStack), 'CidrBlock'] }, FromPort: 443, ToPort: 443 })],
    });
    optionsTemplate.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { DestinationPrefixListId: 'pl-6ea54007', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' });
  });

  test('captures half of the requests under its prefix, JSON as text', () => {
    optionsTemplate.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: Match.objectLike({
        InitialSamplingPercentage: 50,
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: id(options.dataCaptureBucket, optionsStack) }, '/capture']] },
        KmsKeyId: arnOf(keys.key(KeyPurpose.DATA), optionsStack),
        CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] },
      }),
    });
  });

  test('warns that a 20% step is a third of the traffic of 3 instances, and half of 2', () => {
    expect(warningsOf(optionsStack, 'regulated-mlops:canary-share')).toEqual([
      expect.stringMatching(/^A 20% linear step of AllTraffic \(3 instances\) is 1 whole instance: about 33\.3% of the traffic, not 20% .*5 instances would give 20%/),
      expect.stringMatching(/^A 20% linear step of Challenger \(2 instances\) is 1 whole instance: about 50% of the traffic/),
    ]);
  });

  test('grantInvoke allows InvokeEndpoint on this endpoint only', () => {
    optionsTemplate.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: id(caller, optionsStack) }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: { 'Fn::GetAtt': [id(options.endpoint, optionsStack), 'EndpointArn'] } }] },
    });
  });

  test('metric methods read AWS/SageMaker by endpoint and variant; latency in microseconds at p99', () => {
    expect(optionsStack.resolve(options.metricModelLatency().toMetricConfig().metricStat)).toMatchObject({
      namespace: 'AWS/SageMaker', metricName: 'ModelLatency', statistic: 'p99',
      dimensions: [{ name: 'EndpointName', value: 'fraud-scoring' }, { name: 'VariantName', value: 'AllTraffic' }],
    });
    expect(options.metricInvocation5XXErrors().statistic).toBe('Sum');
    expect(options.metricInvocations({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
    expect(options.metricFor('Challenger', 'InvocationsPerInstance').dimensions).toEqual({ EndpointName: 'fraud-scoring', VariantName: 'Challenger' });
    expect(errorOf(() => options.metricFor('Shadow', 'Invocations')).message).toContain("metricFor(variantName): received 'Shadow'; allowed: a variant of this endpoint (AllTraffic, Challenger)");
  });

  test('passes the deployment, scoping, redundancy, pinning and volume key rules', () => {
    for (const rule of [endpointGuardedDeployment, rollbackAlarmsScoped, endpointConfigMinInstances, modelImagePinned, endpointConfigVolumeKms]) {
      const verdicts = Object.entries(verdictsOnStack(rule, optionsStack)).filter(([logicalId]) => logicalId.startsWith('Fraud'));
      expect({ rule: rule.id, verdicts: verdicts.map(([, v]) => v) }).toEqual({ rule: rule.id, verdicts: verdicts.map(() => 'pass') });
      expect(verdicts.length).toBeGreaterThan(0);
    }
    expect(outcomesOnStack(rollbackAlarmsScoped, optionsStack, id(options.endpoint, optionsStack))).toEqual([
      { status: 'pass', note: expect.stringContaining('watches no AWS/SageMaker metric (e.g. a business KPI)') },
    ]);
  });
});

describe('ModelEndpoint.monitorDrift', () => {
  test('watches this endpoint\'s captured data with the library drift job, alarming to the endpoint topic', () => {
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.DRIFT_ENDPOINT_NAME);
    expect(fn.Properties.Environment.Variables.DRIFT_ENDPOINT_NAME).toEqual(stack.resolve(endpoint.endpointName));
    expect(drift.node.path).toBe('Serving/Fraud/Drift');
  });

  test('fails without data capture, with the fix', () => {
    const s = new Stack(new App(), 'NoCapture');
    const e = new ModelEndpoint(s, 'E', {
      model: ModelSource.fromImage({ repository: ImageRepository.fromRepositoryArn(s, 'R', 'arn:aws:ecr:eu-west-1:111122223333:repository/fraud'), digest: DIGEST }),
      instanceType: 'ml.g5.xlarge', dataCapture: { enabled: false },
    });
    expect(() => e.monitorDrift()).toThrow(/NoCapture\/E:dataCapture: received data capture disabled; allowed: data capture enabled/);
  });
});

describe('ModelEndpoint compliance', () => {
  test.each([['defaults', stack], ['options', optionsStack]])('%s pass every pack, with no acknowledgment of ours', (_name, s) => {
    const result = complianceOf(s, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result).filter((line) => !line.endsWith('(automatic)'))).toEqual([]);
  });

  test.each([['defaults', stack], ['options', optionsStack]])('%s pass cdk-nag\'s four packs with only reasoned acknowledgments', (_name, s) => {
    expect(nagFindings(s)).toEqual([]);
  });
});

describe('ModelEndpoint fails at synth', () => {
  // Built in an app that is never synthesized: each case fails while constructing.
  const errors = new Stack(new App(), 'Errors');
  const repository = ecr.Repository.fromRepositoryName(errors, 'Images', 'serving');
  let n = 0;
  const base = (): ModelEndpointProps => ({
    model: ModelSource.fromImage({ repository, digest: DIGEST }),
    instanceType: 'ml.g5.xlarge',
  });
  const fails = (props: Partial<ModelEndpointProps>) => {
    const error = errorOf(() => new ModelEndpoint(errors, `Case${++n}`, { ...base(), ...props }));
    expect(error.code).toBe('InvalidConfiguration');
    return error.message;
  };
  const canary = (o: Parameters<typeof DeploymentStrategy.canary>[0]) => DeploymentStrategy.canary(o);

  test('if the canary is above 50% of the instances', () => {
    expect(fails({ deployment: canary({ canarySize: CapacitySize.percent(60) }), instanceCount: 4 }))
      .toContain("deployment.canarySize: received '60% of the 4 instances of AllTraffic = 3 instances (75%)'; allowed: a canary of at most 50% of the new fleet's instances. Fix: use a smaller canarySize");
    expect(fails({ deployment: canary({ canarySize: CapacitySize.instances(2) }) })).toContain("'2 instances of the 2 instances of AllTraffic = 2 instances (100%)'");
  });

  test('if a canary has one instance to be a slice of', () => {
    expect(fails({ instanceCount: 1 })).toContain(
      "deployment.canarySize: received '10% of the 1 instance of AllTraffic = 1 instance (100%)'; allowed: a canary of at most 50% of the new fleet's instances. " +
      'Fix: run at least 2 instances (instanceCount), or deploy with DeploymentStrategy.allAtOnce()',
    );
  });

  test('if a linear step is outside 10% to 50%', () => {
    expect(fails({ deployment: DeploymentStrategy.linear({ stepSize: CapacitySize.percent(5) }) }))
      .toContain("deployment.stepSize: received '5%'; allowed: a linear step of 10% to 50% of the new fleet's instances");
    expect(fails({ deployment: DeploymentStrategy.linear({ stepSize: CapacitySize.instances(3) }), instanceCount: 4 }))
      .toContain("deployment.stepSize: received '3 instances of the 4 instances of AllTraffic (75%)'");
  });

  test('if a wait is longer than an hour or not whole seconds', () => {
    expect(fails({ deployment: canary({ wait: Duration.hours(2), maxExecutionTimeout: Duration.hours(8) }) }))
      .toContain("deployment.wait: received '2 hours'; allowed: whole seconds from 0 to 3600 (1 hour)");
    expect(fails({ deployment: canary({ terminationWait: Duration.millis(1500) }) })).toContain("deployment.terminationWait: received '1 second 500 millis'");
  });

  test('if the timeout is outside 10 minutes to 8 hours', () => {
    expect(fails({ deployment: canary({ maxExecutionTimeout: Duration.minutes(5) }) }))
      .toContain("deployment.maxExecutionTimeout: received '5 minutes'; allowed: whole seconds from 600 to 28800 (10 minutes to 8 hours)");
    expect(fails({ deployment: canary({ maxExecutionTimeout: Duration.hours(9) }) })).toContain("deployment.maxExecutionTimeout: received '9 hours'");
  });

  test('if the timeout does not exceed the sum of the waits', () => {
    expect(fails({ deployment: canary({ wait: Duration.minutes(30), terminationWait: Duration.minutes(30) }) })).toContain(
      "deployment.maxExecutionTimeout: received '1 hour'; allowed: more than the sum of the waits: 1800 s + terminationWait 1800 s = 3600 s",
    );
    // Linear: 20% of 5 instances moves 1 instance per step, 5 steps of 10 minutes + 10 minutes final bake = 3600 s.
    expect(fails({ instanceCount: 5, deployment: DeploymentStrategy.linear({ wait: Duration.minutes(10) }) })).toContain(
      'allowed: more than the sum of the waits: 5 steps × 600 s + terminationWait 600 s = 3600 s',
    );
  });

  test('if there are more than 10 rollback alarms', () => {
    const alarms = Array.from({ length: 9 }, (_, i) => cloudwatch.Alarm.fromAlarmName(errors, `Alarm${n}-${i}`, `kpi-${i}`));
    expect(fails({ rollbackAlarms: alarms })).toContain(
      "rollbackAlarms: received '9 alarms (+ the 5XX and latency alarms = 11)'; allowed: at most 8 (SageMaker takes 10 rollback alarms)",
    );
  });

  test('if there are more than 10 variants, or two with one name', () => {
    const variants = Array.from({ length: 10 }, (_, i) => ({ variantName: `V${i}` }));
    expect(fails({ additionalVariants: variants })).toContain("additionalVariants: received '11 variants in total'; allowed: at most 10 production variants");
    expect(fails({ additionalVariants: [{ variantName: 'AllTraffic' }] })).toContain('additionalVariants: received ["AllTraffic"]; allowed: a different name for every variant');
  });

  test('if a variant name is not a literal (it must stay the same across deployments)', () => {
    expect(fails({ variantName: Token.asString({ Ref: 'Variant' }) })).toContain(
      'variantName: received an unresolved token',
    );
  });

  test('if the sampling percentage is outside 0 to 100', () => {
    expect(fails({ dataCapture: { samplingPercentage: 101 } })).toContain('dataCapture.samplingPercentage: received 101; allowed: a whole percentage from 0 to 100');
    expect(fails({ dataCapture: { samplingPercentage: 2.5 } })).toContain('dataCapture.samplingPercentage: received 2.5');
  });

  test('if a volume key or size is given for an NVMe instance type', () => {
    const message = fails({ volumeEncryptionKey: new kms.Key(errors, `Key${n}`), volumeSize: Size.gibibytes(100) });
    expect(message).toContain("volumeEncryptionKey: received 'a key'; allowed: no key on an instance type with local NVMe storage. Fix: remove volumeEncryptionKey: SageMaker rejects KmsKeyId for ml.g5.xlarge");
    expect(message).toContain("volumeSize: received '100 GiB'; allowed: no volume size on an instance type with local NVMe storage");
  });

  test('if an EBS volume is outside 1 to 512 GiB', () => {
    expect(fails({ instanceType: 'ml.m5.xlarge', volumeSize: Size.gibibytes(1024) })).toContain("volumeSize: received '1 TiB'; allowed: 1 to 512 GiB");
  });

  test('if NVMe and EBS variants share one endpoint config', () => {
    expect(fails({ additionalVariants: [{ variantName: 'Cpu', instanceType: 'ml.m5.xlarge' }] })).toContain(
      "additionalVariants: received 'NVMe variants AllTraffic (ml.g5.xlarge) and EBS variants Cpu (ml.m5.xlarge)'",
    );
  });

  test('if the instance family\'s storage is unknown, unless it is declared', () => {
    expect(fails({ instanceType: 'ml.dl1.24xlarge' })).toContain(
      "instanceType: received 'ml.dl1.24xlarge'; allowed: an instance family whose storage (EBS or local NVMe) is known: c5d, m5d",
    );
    expect(fails({ instanceType: 'ml.dl1.24xlarge' })).toContain('declare the storage of dl1 with instanceStorage: InstanceStorage.EBS or InstanceStorage.NVME');
    expect(() => new ModelEndpoint(errors, `Declared${++n}`, { ...base(), instanceType: 'ml.dl1.24xlarge', instanceStorage: InstanceStorage.NVME })).not.toThrow();
  });

  test('if the instance type is not a real-time type', () => {
    expect(fails({ instanceType: 'ml.g5.3xlarge' })).toContain("instanceType: received 'ml.g5.3xlarge'; allowed: not a real-time instance type of the g5 family");
    expect(fails({ instanceType: 'g5.xlarge' })).toContain("instanceType: received 'g5.xlarge'; allowed: not an ml.<family>.<size> instance type");
  });

  test('if an Inf1 endpoint asks for a canary (SageMaker would silently deploy all at once)', () => {
    expect(fails({ instanceType: 'ml.inf1.xlarge' })).toContain("deployment: received 'canary on ml.inf1.xlarge'; allowed: all at once on Inf1 instances");
  });

  test('if the endpoint name is longer than 63 characters or not a SageMaker name', () => {
    expect(fails({ endpointName: 'e'.repeat(64) })).toContain(`endpointName: received '${'e'.repeat(64)}'; allowed: at most 63 letters, digits and hyphens`);
    expect(fails({ endpointName: 'fraud_scoring' })).toContain("endpointName: received 'fraud_scoring'");
  });

  test('if the image is given by tag rather than digest', () => {
    expect(fails({ model: ModelSource.fromImage({ repository, digest: 'latest' }) })).toContain(
      "model.digest: received 'latest'; allowed: an image digest: 'sha256:' and 64 lowercase hex digits",
    );
  });

  test('with every problem in one error', () => {
    const message = fails({ instanceCount: 0, errorThreshold: 0, latencyThreshold: Duration.millis(0), endpointName: '-bad', dataCapture: { samplingPercentage: -1 } });
    expect(message).toMatch(/\(\d+ problems\)/);
    for (const prop of ['instanceCount', 'errorThreshold', 'latencyThreshold', 'endpointName', 'dataCapture.samplingPercentage']) {
      expect(message).toContain(`Errors/Case${n}:${prop}`);
    }
  });
});
