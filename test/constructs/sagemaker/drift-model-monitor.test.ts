import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { DriftBackend, ModelMonitorDriftOptions, ModelQualityProblemType } from '../../../constructs/sagemaker/drift-backend';
import { ModelMonitorDrift } from '../../../constructs/sagemaker/drift-model-monitor';
import { DriftMonitor } from '../../../constructs/sagemaker/drift-monitor';
import { EncryptedBucket } from '../../../constructs/security/encrypted-bucket';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import monitoringJobIsolation from '../../../lib/policy/rules/aws/sagemaker/monitoring-job-isolation-in-transit';
import monitoringJobKms from '../../../lib/policy/rules/aws/sagemaker/monitoring-job-kms';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { verdictsOnStack } from '../../policy/rule-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';

const MONITOR_IMAGE = '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer';
const CLARIFY_IMAGE = '205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0';

/** Every Model Monitor job type, on baselines and labels in an artifacts bucket. */
function options(artifacts: s3.IBucket, extra: Partial<ModelMonitorDriftOptions> = {}): ModelMonitorDriftOptions {
  return {
    imageUri: MONITOR_IMAGE,
    clarifyImageUri: CLARIFY_IMAGE,
    dataQualityBaseline: { constraints: { bucket: artifacts, key: 'baselines/constraints.json' }, statistics: { bucket: artifacts, key: 'baselines/statistics.json' } },
    alarmFeatures: ['income', 'age'],
    modelQuality: { problemType: ModelQualityProblemType.BINARY_CLASSIFICATION, probabilityAttribute: '0', probabilityThresholdAttribute: 0.5, groundTruth: { bucket: artifacts, prefix: 'ground-truth/' } },
    modelBias: { analysisConfig: { bucket: artifacts, key: 'clarify/bias.json' }, groundTruth: { bucket: artifacts, prefix: 'ground-truth/' }, probabilityAttribute: '0' },
    modelExplainability: { analysisConfig: { bucket: artifacts, key: 'clarify/shap.json' }, constraints: { bucket: artifacts, key: 'clarify/constraints.json' } },
    ...extra,
  };
}

function buildStack(app: App, instanceType?: string): { stack: Stack; monitor: DriftMonitor; keys: KeyRing } {
  const stack = new Stack(app, 'ModelMonitorDrift');
  const keys = new KeyRing(stack, 'Keys');
  const capture = new EncryptedBucket(stack, 'Capture', { keys });
  const artifacts = new EncryptedBucket(stack, 'Artifacts', { keys, purpose: KeyPurpose.MODEL_ARTIFACTS });
  const monitor = new DriftMonitor(stack, 'Monitor', {
    endpointName: 'credit-risk', captureBucket: capture.bucket, keys,
    backend: DriftBackend.modelMonitor(options(artifacts.bucket, { instanceType })),
  });
  return { stack, monitor, keys };
}

// One app with every job type; a second app differs only in the instance type (job definition names).
const { stack, monitor, keys } = buildStack(new App());
const template = Template.fromStack(stack);
const changed = Template.fromStack(buildStack(new App(), 'ml.m5.2xlarge').stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const mm = monitor.node.findChild('ModelMonitor') as ModelMonitorDrift;
const dataKeyArn = { 'Fn::GetAtt': [id(keys.key(KeyPurpose.DATA)), 'Arn'] };
const JOB_TYPES = ['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'];
const definitionName = (t: Template, type: string) => Object.values<any>(t.findResources(`AWS::SageMaker::${type}JobDefinition`))[0].Properties.JobDefinitionName;

describe('DriftMonitor with Model Monitor', () => {
  test('defines one job per monitoring type, isolated, encrypted in transit, in the private subnets', () => {
    for (const type of JOB_TYPES) {
      template.hasResourceProperties(`AWS::SageMaker::${type}JobDefinition`, {
        NetworkConfig: {
          EnableNetworkIsolation: true,
          EnableInterContainerTrafficEncryption: true,
          VpcConfig: { SecurityGroupIds: [Match.anyValue()], Subnets: [Match.anyValue(), Match.anyValue()] },
        },
        RoleArn: { 'Fn::GetAtt': [id(mm.role), 'Arn'] },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      });
    }
  });

  test('encrypts reports with the report bucket key and processing volumes with the DATA key', () => {
    const reportKey = { 'Fn::GetAtt': [id(keys.key(KeyPurpose.DATA)), 'Arn'] };
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: dataKeyArn } },
      DataQualityJobOutputConfig: {
        KmsKeyId: reportKey,
        MonitoringOutputs: [{
          S3Output: {
            LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob',
            S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: id(mm.reportBucket as s3.Bucket) }, '/model-monitor/credit-risk/data-quality']] },
          },
        }],
      },
    });
    expect(verdictsOnStack(monitoringJobKms, stack)).toEqual(Object.fromEntries(
      [...mm.jobDefinitions.map((d) => [stack.resolve(d.logicalId), 'pass']), ...mm.schedules.map((s) => [stack.resolve(s.logicalId), 'not-applicable'])],
    ));
    expect(Object.values(verdictsOnStack(monitoringJobIsolation, stack)).filter((v) => v === 'pass')).toHaveLength(4);
  });

  test('compares data quality against the baseline constraints and statistics and publishes metrics', () => {
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: { ImageUri: MONITOR_IMAGE, Environment: { publish_cloudwatch_metrics: 'Enabled' } },
      DataQualityBaselineConfig: {
        ConstraintsResource: { S3Uri: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/baselines/constraints.json']] } },
        StatisticsResource: { S3Uri: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/baselines/statistics.json']] } },
      },
      DataQualityJobInput: { EndpointInput: { EndpointName: 'credit-risk', LocalPath: '/opt/ml/processing/input/endpoint' } },
    });
  });

  test('configures model quality, bias and explainability from their options', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ImageUri: MONITOR_IMAGE, ProblemType: 'BinaryClassification' }),
      ModelQualityJobInput: {
        EndpointInput: Match.objectLike({ ProbabilityAttribute: '0', ProbabilityThresholdAttribute: 0.5 }),
        GroundTruthS3Input: { S3Uri: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/ground-truth/']] } },
      },
    });
    template.hasResourceProperties('AWS::SageMaker::ModelBiasJobDefinition', {
      ModelBiasAppSpecification: Match.objectLike({ ImageUri: CLARIFY_IMAGE, ConfigUri: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/clarify/bias.json']] } }),
    });
    template.hasResourceProperties('AWS::SageMaker::ModelExplainabilityJobDefinition', {
      ModelExplainabilityBaselineConfig: { ConstraintsResource: { S3Uri: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/clarify/constraints.json']] } } },
    });
  });

  test('names each job definition after its path and a hash of its content: valid, stable, new when the content changes', () => {
    for (const type of JOB_TYPES) {
      const name: string = definitionName(template, type);
      expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/);
      expect(name.length).toBeLessThanOrEqual(63);
      // CDK's unique resource name: the path (shortened in the middle when long) and a hash of it; then the content hash.
      expect(name).toMatch(new RegExp(`^ModelMonitorDrift-.*${type}-[0-9A-F]{8}-[0-9a-f]{12}$`));
      const other: string = definitionName(changed, type);
      expect(other.slice(0, -12)).toBe(name.slice(0, -12));
      expect(other).not.toBe(name);
    }
  });

  test('schedules each job hourly on the endpoint, after its definition exists', () => {
    const schedules = template.findResources('AWS::SageMaker::MonitoringSchedule');
    expect(Object.keys(schedules)).toHaveLength(4);
    for (const type of JOB_TYPES) {
      const [logicalId, schedule] = Object.entries<any>(schedules).find(([, s]) => s.Properties.MonitoringScheduleConfig.MonitoringType === type)!;
      expect(schedule.Properties).toMatchObject({
        EndpointName: 'credit-risk',
        MonitoringScheduleConfig: { MonitoringJobDefinitionName: definitionName(template, type), ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
        MonitoringScheduleName: expect.stringMatching(new RegExp(`^ModelMonitorDrift-.*${type}Schedule-[0-9A-F]{8}$`)),
      });
      const definition = Object.entries<any>(template.findResources(`AWS::SageMaker::${type}JobDefinition`))[0][0];
      expect(schedule.DependsOn).toContain(definition);
      expect(logicalId).toBeDefined();
    }
    expect(monitor.monitoringSchedules).toHaveLength(4);
  });

  test('alarms on the documented baseline drift metric of each listed feature, notifying the review topic', () => {
    const schedule = mm.schedules[0] as sagemaker.CfnMonitoringSchedule;
    for (const feature of ['income', 'age']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: '/aws/sagemaker/Endpoints/data-metric',
        MetricName: `feature_baseline_drift_${feature}`,
        Dimensions: Match.arrayWith([{ Name: 'Endpoint', Value: 'credit-risk' }, { Name: 'MonitoringSchedule', Value: stack.resolve(schedule.monitoringScheduleName) }]),
        Threshold: 0.1, Period: 3600, ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: Match.anyValue() }],
      });
    }
    expect(monitor.alarms).toHaveLength(2);
    expect(monitor.driftFunction).toBeUndefined();
  });

  test('lets SageMaker of this account assume the role, which pulls only the monitor images and grants only for AWS resources', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }],
      },
    });
    const statements = template.findResources('AWS::IAM::ManagedPolicy')[id(mm.role.policy)].Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Sid: 'PullMonitorImages',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:156813124566:repository/sagemaker-model-monitor-analyzer']] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:205585389593:repository/sagemaker-clarify-processing']] },
        ],
      }),
      { Sid: 'VolumeKeyGrants', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: dataKeyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      expect.objectContaining({ Sid: 'WriteReports', Action: 's3:PutObject' }),
    ]));
    expect(statements.flatMap((s: any) => [s.Action].flat()).filter((a: string) => a.startsWith('s3:Delete'))).toEqual([]);
  });

  test('passes every rule of every pack with only automatic acknowledgments', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result).every((line) => line.endsWith('(automatic)'))).toBe(true);
  });

  test('passes cdk-nag with reasoned acknowledgments', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('Model Monitor input checks', () => {
  const bad = new Stack(new App(), 'Bad');
  const bucket = new EncryptedBucket(bad, 'Capture').bucket;
  let n = 0;
  const build = (extra: Partial<ModelMonitorDriftOptions>, props: object = {}) => () =>
    new DriftMonitor(bad, `M${n++}`, { endpointName: 'credit-risk', captureBucket: bucket, backend: DriftBackend.modelMonitor(options(bucket, extra)), ...props });
  const props = (build: () => unknown) => errorOf(build).problems.map((p) => p.path.replace(/^Bad\/M\d+:/, ''));

  test('fails on image URIs that are not ECR images, naming each', () => {
    const error = errorOf(build({ imageUri: 'sagemaker-model-monitor-analyzer:latest', clarifyImageUri: 'docker.io/clarify' }));
    expect(error.problems.map((p) => p.path.replace(/^Bad\/M\d+:/, ''))).toEqual(['backend.imageUri', 'backend.clarifyImageUri']);
    expect(error.message).toContain("received 'sagemaker-model-monitor-analyzer:latest'; allowed: an ECR image URI");
  });

  test('fails on bias or explainability without the Clarify image', () => {
    expect(props(build({ clarifyImageUri: undefined }))).toEqual(['backend.clarifyImageUri']);
  });

  test('fails without features to alarm on', () => {
    expect(errorOf(build({ alarmFeatures: [] })).message).toContain('drift without an alarm is not monitoring');
  });

  test('fails on schedules Model Monitor cannot run and jobs longer than their schedule', () => {
    expect(props(build({ schedule: Duration.minutes(30), maxRuntime: Duration.hours(2) }))).toEqual(['backend.schedule', 'backend.maxRuntime']);
    expect(props(build({ schedule: Duration.hours(2), maxRuntime: Duration.hours(3) }))).toEqual(['backend.maxRuntime']);
  });

  test('fails on cluster sizes out of range', () => {
    expect(props(build({ instanceCount: 0, volumeSize: Size.gibibytes(20000), driftThreshold: 2 }))).toEqual(
      ['backend.driftThreshold', 'backend.instanceCount', 'backend.volumeSize'],
    );
  });

  test('fails on model quality without the attribute holding the prediction', () => {
    const quality = { problemType: ModelQualityProblemType.REGRESSION, groundTruth: { bucket, prefix: 'gt/' } };
    expect(props(build({ modelQuality: quality }))).toEqual(['backend.modelQuality.inferenceAttribute']);
  });

  test('fails on a baseline given to Model Monitor (it takes its own)', () => {
    expect(props(build({}, { baseline: { bucket, key: 'b.json' } }))).toEqual(['baseline']);
  });
});
