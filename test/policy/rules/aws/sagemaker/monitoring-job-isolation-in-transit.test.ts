import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/monitoring-job-isolation-in-transit';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-005 monitoring jobs isolated and encrypted in transit', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const roleArn = 'arn:aws:iam::111122223333:role/monitor';
  const jobResources = { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.xlarge', volumeSizeInGb: 20 } };
  const output = { monitoringOutputs: [{ s3Output: { localPath: '/opt/ml/processing/output', s3Uri: 's3://reports/explain' } }] };
  const secure = { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true };
  const explainability = (id: string, networkConfig?: sagemaker.CfnModelExplainabilityJobDefinition.NetworkConfigProperty) =>
    new sagemaker.CfnModelExplainabilityJobDefinition(stack, id, {
      roleArn,
      jobResources,
      modelExplainabilityAppSpecification: { imageUri: 'clarify-image', configUri: 's3://config/analysis.json' },
      modelExplainabilityJobInput: { endpointInput: { endpointName: 'endpoint', localPath: '/opt/ml/processing/input' } },
      modelExplainabilityJobOutputConfig: output,
      networkConfig,
    });
  explainability('Secure', secure);
  explainability('NoNetworkConfig');
  explainability('Overridden', secure).addPropertyOverride('NetworkConfig.EnableInterContainerTrafficEncryption', false);
  const inlineJob = (networkConfig: sagemaker.CfnMonitoringSchedule.NetworkConfigProperty): sagemaker.CfnMonitoringSchedule.MonitoringJobDefinitionProperty => ({
    roleArn,
    monitoringAppSpecification: { imageUri: 'monitor-image' },
    monitoringInputs: [{ endpointInput: { endpointName: 'endpoint', localPath: '/opt/ml/processing/input' } }],
    monitoringOutputConfig: output,
    monitoringResources: jobResources,
    networkConfig,
  });
  new sagemaker.CfnMonitoringSchedule(stack, 'InlineSecure', {
    monitoringScheduleName: 'inline-secure',
    monitoringScheduleConfig: { monitoringJobDefinition: inlineJob(secure), scheduleConfig: { scheduleExpression: 'cron(0 * ? * * *)' } },
  });
  new sagemaker.CfnMonitoringSchedule(stack, 'InlineOpen', {
    monitoringScheduleName: 'inline-open',
    monitoringScheduleConfig: { monitoringJobDefinition: inlineJob({ enableNetworkIsolation: false }) },
  });
  new sagemaker.CfnMonitoringSchedule(stack, 'ByName', {
    monitoringScheduleName: 'by-name',
    monitoringScheduleConfig: { monitoringJobDefinitionName: 'explainability', monitoringType: 'ModelExplainability' },
  });
  const verdicts = verdictsOnStack(rule, stack);

  it('passes an isolated, encrypted job definition and inline schedule job', () => {
    expect(verdicts.Secure).toBe('pass');
    expect(verdicts.InlineSecure).toBe('pass');
  });
  it('fails jobs without isolation or encryption, one outcome per setting', () => {
    expect(verdicts.NoNetworkConfig).toBe('fail');
    expect(outcomesOnStack(rule, stack, 'InlineOpen').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/MonitoringScheduleConfig/MonitoringJobDefinition/NetworkConfig/EnableNetworkIsolation',
      'Properties/MonitoringScheduleConfig/MonitoringJobDefinition/NetworkConfig/EnableInterContainerTrafficEncryption',
    ]);
  });
  it('is not applicable to a schedule that names its job definition', () => expect(verdicts.ByName).toBe('not-applicable'));
  it('fails a secure job broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/NetworkConfig/EnableInterContainerTrafficEncryption', message: expect.stringContaining('is false') },
    ]);
  });
});
