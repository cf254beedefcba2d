import { defineRule, fail, pass, RuleOutcome } from '../../../rule';
import { MONITORING_JOB_TYPES, monitoringJobOf, scheduleWithoutInlineJob } from './monitoring-jobs';

const ROLE = 'arn:aws:iam::111122223333:role/monitor';
const jobCommon = (network: Record<string, any> | undefined) => ({
  RoleArn: ROLE,
  JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: 'alias/monitoring' } },
  ...(network ? { NetworkConfig: network } : {}),
});
const dataQuality = (network?: Record<string, any>) => ({
  Type: 'AWS::SageMaker::DataQualityJobDefinition',
  Properties: {
    DataQualityAppSpecification: { ImageUri: 'monitor-image' },
    DataQualityJobInput: { EndpointInput: { EndpointName: 'endpoint', LocalPath: '/opt/ml/processing/input' } },
    DataQualityJobOutputConfig: { KmsKeyId: 'alias/monitoring', MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: 's3://reports/dq' } }] },
    ...jobCommon(network),
  },
});
const SECURE = { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true };

/** MLOPS-SM-005: Model Monitor jobs run network-isolated with encrypted inter-container traffic. */
export default defineRule({
  id: 'MLOPS-SM-005',
  title: 'SageMaker monitoring jobs run with network isolation and encrypted inter-container traffic',
  resourceTypes: MONITORING_JOB_TYPES,
  severity: 'medium',
  themes: ['NET', 'TRN'],
  acknowledgeable: true,
  rationale:
    'Monitoring jobs read captured inference data and ground truth, which are regulated data. Network isolation stops ' +
    'the analysis container from sending that data anywhere; inter-container traffic encryption protects the data ' +
    'exchanged between the instances of a distributed job (Clarify bias and explainability jobs).',
  fix:
    'Set networkConfig: { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true } on the job definition ' +
    '(CloudFormation NetworkConfig.EnableNetworkIsolation and NetworkConfig.EnableInterContainerTrafficEncryption), or on ' +
    'the inline MonitoringScheduleConfig.MonitoringJobDefinition.NetworkConfig of a MonitoringSchedule.',
  references: [
    'AWS Config sagemaker-data-quality-job-isolation',
    'AWS Config sagemaker-model-quality-job-definition-isolation',
    'AWS Config sagemaker-model-bias-job-isolation',
    'AWS Config sagemaker-model-explainability-job-network-isolation',
    'AWS Config sagemaker-model-explainability-job-encrypt-in-transit',
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringNetworkConfig.html',
  ],
  scenarios: [
    { name: 'data quality job isolated and encrypted in transit', expect: 'pass', resource: dataQuality(SECURE) },
    { name: 'data quality job without NetworkConfig', expect: 'fail', resource: dataQuality() },
    {
      name: 'model bias job without inter-container encryption',
      expect: 'fail',
      resource: {
        Type: 'AWS::SageMaker::ModelBiasJobDefinition',
        Properties: {
          ModelBiasAppSpecification: { ImageUri: 'clarify-image', ConfigUri: 's3://config/analysis.json' },
          ModelBiasJobInput: { EndpointInput: { EndpointName: 'endpoint', LocalPath: '/opt/ml/processing/input' }, GroundTruthS3Input: { S3Uri: 's3://truth' } },
          ModelBiasJobOutputConfig: { KmsKeyId: 'alias/monitoring', MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: 's3://reports/bias' } }] },
          ...jobCommon({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: false }),
        },
      },
    },
    {
      name: 'schedule with an inline job that is not isolated',
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
              MonitoringOutputConfig: { KmsKeyId: 'alias/monitoring', MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: 's3://reports' } }] },
              MonitoringResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 } },
              NetworkConfig: { EnableInterContainerTrafficEncryption: true },
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
          MonitoringScheduleConfig: {
            MonitoringJobDefinitionName: { 'Fn::GetAtt': ['DataQuality', 'JobDefinitionName'] },
            MonitoringType: 'DataQuality',
            ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
          },
        },
      },
      others: { DataQuality: dataQuality(SECURE) },
    },
    {
      name: 'isolation from a parameter',
      expect: 'unresolvable',
      resource: dataQuality({ EnableNetworkIsolation: { Ref: 'Isolate' }, EnableInterContainerTrafficEncryption: true }),
    },
  ],
  evaluate(resource, ctx) {
    const job = monitoringJobOf(resource, ctx);
    if (typeof job === 'string') return scheduleWithoutInlineJob(job);
    const { path, name, value } = job.networkConfig;
    const outcomes: RuleOutcome[] = [];
    const checks = [
      ['EnableNetworkIsolation', 'the monitoring container can reach the network'],
      ['EnableInterContainerTrafficEncryption', "traffic between the job's instances is not encrypted"],
    ] as const;
    for (const [setting, consequence] of checks) {
      const enabled = ctx.bool(value[setting], `${path}/${setting}`);
      if (enabled !== true) {
        outcomes.push(fail(`${path}/${setting}`, `${name}.${setting} is ${enabled === false ? 'false' : 'unset (default false)'}: ${consequence}`));
      }
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
