import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/endpoint-guarded-deployment';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-020 endpoint deploys with guardrails and automatic rollback', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
    productionVariants: [{ variantName: 'AllTraffic', modelName: 'model', instanceType: 'ml.g5.xlarge', initialInstanceCount: 2 }],
  });
  const errors = new cloudwatch.Alarm(stack, 'Errors', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName: 'Invocation5XXErrors', period: Duration.minutes(1) }),
    threshold: 1, evaluationPeriods: 1,
  });
  const guarded: sagemaker.CfnEndpoint.DeploymentConfigProperty = {
    blueGreenUpdatePolicy: {
      trafficRoutingConfiguration: { type: 'LINEAR', waitIntervalInSeconds: 300, linearStepSize: { type: 'CAPACITY_PERCENT', value: 20 } },
      terminationWaitInSeconds: 600,
      maximumExecutionTimeoutInSeconds: 3600,
    },
    autoRollbackConfiguration: { alarms: [{ alarmName: errors.alarmName }] },
  };
  new sagemaker.CfnEndpoint(stack, 'Guarded', { endpointConfigName: config.attrEndpointConfigName, deploymentConfig: guarded });
  new sagemaker.CfnEndpoint(stack, 'Unguarded', { endpointConfigName: config.attrEndpointConfigName });
  const overridden = new sagemaker.CfnEndpoint(stack, 'Overridden', { endpointConfigName: config.attrEndpointConfigName, deploymentConfig: guarded });
  overridden.addPropertyOverride('DeploymentConfig.AutoRollbackConfiguration', undefined);
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a linear blue/green deployment rolled back by an alarm of the stack', () => expect(verdictOf('Guarded')).toBe('pass'));
  it('fails a raw CfnEndpoint without DeploymentConfig', () => {
    expect(outcomesOnStack(rule, stack, 'Unguarded')).toEqual([
      { status: 'fail', path: 'Properties/DeploymentConfig', message: expect.stringContaining('DeploymentConfig is not set') },
    ]);
  });
  it('fails a guarded endpoint whose rollback configuration is removed with addPropertyOverride', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/DeploymentConfig/AutoRollbackConfiguration', message: expect.stringContaining('never rolled back') },
    ]);
  });
});
