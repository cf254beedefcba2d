import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/endpoint-config-min-instances';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-022 production variants on at least two instances', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const variant = (initialInstanceCount: number): sagemaker.CfnEndpointConfig.ProductionVariantProperty => ({
    variantName: 'AllTraffic', modelName: 'model', instanceType: 'ml.g5.xlarge', initialInstanceCount,
  });
  new sagemaker.CfnEndpointConfig(stack, 'Redundant', { productionVariants: [variant(2)] });
  new sagemaker.CfnEndpointConfig(stack, 'Single', { productionVariants: [variant(1)] });
  const overridden = new sagemaker.CfnEndpointConfig(stack, 'Overridden', { productionVariants: [variant(3)] });
  overridden.addPropertyOverride('ProductionVariants.0.InitialInstanceCount', 1);
  const verdicts = verdictsOnStack(rule, stack);
  const verdictOf = (prefix: string) => Object.entries(verdicts).find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a variant on two instances', () => expect(verdictOf('Redundant')).toBe('pass'));
  it('fails a raw config with one instance', () => {
    expect(outcomesOnStack(rule, stack, 'Single')).toEqual([
      { status: 'fail', path: 'Properties/ProductionVariants/0/InitialInstanceCount', message: 'AllTraffic runs on 1 instance: one failure takes the model offline' },
    ]);
  });
  it('fails a redundant config broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ProductionVariants/0/InitialInstanceCount' }),
    ]);
  });
});
