import { defineRule, fail, pass, RuleOutcome } from '../../../rule';
import { customerKeyProblem } from './customer-key';
import { MONITORING_JOB_TYPES, monitoringJobOf, scheduleWithoutInlineJob } from './monitoring-jobs';

const ROLE = 'arn:aws:iam::111122223333:role/monitor';
const NETWORK = { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true };
const modelQuality = (outputKey: unknown, volumeKey: unknown) => ({
  Type: 'AWS::SageMaker::ModelQualityJobDefinition',
  Properties: {
    ModelQualityAppSpecification: { ImageUri: 'monitor-image', ProblemType: 'BinaryClassification' },
    ModelQualityJobInput: {
      EndpointInput: { EndpointName: 'endpoint', LocalPath: '/opt/ml/processing/input', InferenceAttribute: '0' },
      GroundTruthS3Input: { S3Uri: 's3://truth' },
    },
    ModelQualityJobOutputConfig: {
      ...(outputKey === undefined ? {} : { KmsKeyId: outputKey }),
      MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: 's3://reports/mq' } }],
    },
    JobResources: {
      ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, ...(volumeKey === undefined ? {} : { VolumeKmsKeyId: volumeKey }) },
    },
    NetworkConfig: NETWORK,
    RoleArn: ROLE,
  },
});
const KEY_REF = { 'Fn::GetAtt': ['Key', 'Arn'] };
const KEY = { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } };

/** MLOPS-SM-006: Model Monitor reports and processing volumes are encrypted with customer keys. */
export default defineRule({
  id: 'MLOPS-SM-006',
  title: 'SageMaker monitoring jobs encrypt their reports and processing volumes with a customer-managed key',
  resourceTypes: MONITORING_JOB_TYPES,
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'Monitoring jobs copy captured inference data and ground truth to their processing volume and write statistics, ' +
    'violations and bias reports derived from it to S3. Both are regulated data and need a customer-managed key that ' +
    'can be scoped, audited and revoked, not the AWS-managed default.',
  fix:
    'Set the output key (<X>JobOutputConfig.KmsKeyId, e.g. dataQualityJobOutputConfig.kmsKeyId on ' +
    'CfnDataQualityJobDefinition) and the volume key (JobResources.ClusterConfig.VolumeKmsKeyId, ' +
    'jobResources.clusterConfig.volumeKmsKeyId) to a customer-managed kms.Key; for an inline schedule job set ' +
    'MonitoringOutputConfig.KmsKeyId and MonitoringResources.ClusterConfig.VolumeKmsKeyId.',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringOutputConfig.html',
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringClusterConfig.html',
  ],
  scenarios: [
    { name: 'output and volume keys of the template', expect: 'pass', resource: modelQuality(KEY_REF, KEY_REF), others: KEY },
    { name: 'no output key', expect: 'fail', resource: modelQuality(undefined, KEY_REF), others: KEY },
    { name: 'no volume key', expect: 'fail', resource: modelQuality(KEY_REF, undefined), others: KEY },
    {
      name: 'schedule with an inline job without keys',
      expect: 'fail',
      resource: {
        Type: 'AWS::SageMaker::MonitoringSchedule',
        Properties: {
          MonitoringScheduleName: 'drift',
          MonitoringScheduleConfig: {
            ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
            MonitoringJobDefinition: {
              MonitoringAppSpecification: { ImageUri: 'monitor-image' },
              MonitoringInputs: [{ EndpointInput: { EndpointName: 'endpoint', LocalPath: '/opt/ml/processing/input' } }],
              MonitoringOutputConfig: { MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: 's3://reports' } }] },
              MonitoringResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 } },
              NetworkConfig: NETWORK,
              RoleArn: ROLE,
            },
          },
        },
      },
    },
    {
      name: 'schedule that references a job definition by name',
      expect: 'not-applicable',
      resource: {
        Type: 'AWS::SageMaker::MonitoringSchedule',
        Properties: {
          MonitoringScheduleName: 'drift',
          MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'model-quality', MonitoringType: 'ModelQuality' },
        },
      },
    },
    { name: 'output key from a parameter', expect: 'unresolvable', resource: modelQuality({ Ref: 'OutputKey' }, KEY_REF), others: KEY },
  ],
  evaluate(resource, ctx) {
    const job = monitoringJobOf(resource, ctx);
    if (typeof job === 'string') return scheduleWithoutInlineJob(job);
    const outcomes: RuleOutcome[] = [];
    const checks = [
      [job.outputConfig, 'KmsKeyId', 'the monitoring reports in S3 are'],
      [job.clusterConfig, 'VolumeKmsKeyId', 'the processing volume with the analysed data is'],
    ] as const;
    for (const [{ path, name, value }, setting, what] of checks) {
      const problem = customerKeyProblem(value[setting], `${path}/${setting}`, `${name}.${setting}`, ctx);
      if (problem !== undefined) outcomes.push(fail(`${path}/${setting}`, `${problem}: ${what} not encrypted with a customer-managed key`));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
