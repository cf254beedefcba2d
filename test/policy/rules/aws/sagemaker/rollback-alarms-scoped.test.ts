import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/rollback-alarms-scoped';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-021 rollback alarms scoped to the deployed endpoint config', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
    productionVariants: [{ variantName: 'AllTraffic', modelName: 'model', instanceType: 'ml.g5.xlarge', initialInstanceCount: 2 }],
  });
  const errorsOf = (id: string, scoped: boolean) => new cloudwatch.Alarm(stack, id, {
    metric: new cloudwatch.Metric({
      namespace: 'AWS/SageMaker', metricName: 'Invocation5XXErrors', statistic: 'Sum', period: Duration.minutes(1),
      dimensionsMap: { EndpointName: 'fraud', VariantName: 'AllTraffic', ...(scoped ? { EndpointConfigName: config.attrEndpointConfigName } : {}) },
    }),
    threshold: 1, evaluationPeriods: 1,
  });
  const endpointWith = (id: string, alarm: cloudwatch.IAlarm) => new sagemaker.CfnEndpoint(stack, id, {
    endpointName: 'fraud',
    endpointConfigName: config.attrEndpointConfigName,
    deploymentConfig: {
      blueGreenUpdatePolicy: { trafficRoutingConfiguration: { type: 'CANARY', waitIntervalInSeconds: 600, canarySize: { type: 'CAPACITY_PERCENT', value: 10 } } },
      autoRollbackConfiguration: { alarms: [{ alarmName: alarm.alarmName }] },
    },
  });
  const scoped = errorsOf('ScopedErrors', true);
  endpointWith('Scoped', scoped);
  endpointWith('Unscoped', errorsOf('WholeEndpointErrors', false));
  endpointWith('Overridden', errorsOf('OverriddenErrors', true));
  (stack.node.findChild('OverriddenErrors').node.defaultChild as cloudwatch.CfnAlarm)
    .addPropertyOverride('Dimensions', [{ Name: 'EndpointName', Value: 'fraud' }, { Name: 'VariantName', Value: 'AllTraffic' }]);
  const verdicts = verdictsOnStack(rule, stack);
  const verdictOf = (prefix: string) => Object.entries(verdicts).find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an L2 alarm with the EndpointConfigName dimension of the deployed config', () => expect(verdictOf('Scoped')).toBe('pass'));
  it('fails an alarm on the whole endpoint', () => {
    expect(outcomesOnStack(rule, stack, 'Unscoped')).toEqual([{
      status: 'fail',
      path: 'Properties/DeploymentConfig/AutoRollbackConfiguration/Alarms/0/AlarmName',
      message: expect.stringMatching(/^WholeEndpointErrors\w+ Dimensions: Invocation5XXErrors has no EndpointConfigName dimension/),
    }]);
  });
  it('fails a scoped alarm whose dimensions are replaced with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', message: expect.stringContaining('no EndpointConfigName dimension') }),
    ]);
  });
});
