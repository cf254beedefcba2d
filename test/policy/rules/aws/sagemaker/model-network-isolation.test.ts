import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/model-network-isolation';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-002 model network isolation', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const props: sagemaker.CfnModelProps = {
    executionRoleArn: 'arn:aws:iam::111122223333:role/model',
    primaryContainer: { image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/model@sha256:0' },
  };
  new sagemaker.CfnModel(stack, 'Isolated', { ...props, enableNetworkIsolation: true });
  new sagemaker.CfnModel(stack, 'Unset', props);
  new sagemaker.CfnModel(stack, 'Open', { ...props, enableNetworkIsolation: false });
  const overridden = new sagemaker.CfnModel(stack, 'Overridden', { ...props, enableNetworkIsolation: true });
  overridden.addPropertyOverride('EnableNetworkIsolation', false);
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a model with network isolation', () => expect(verdicts.Isolated).toBe('pass'));
  it('fails a model without it (unset or false)', () => {
    expect(verdicts.Unset).toBe('fail');
    expect(verdicts.Open).toBe('fail');
  });
  it('fails an isolated model broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/EnableNetworkIsolation', message: expect.stringContaining('EnableNetworkIsolation is false') },
    ]);
  });
});
