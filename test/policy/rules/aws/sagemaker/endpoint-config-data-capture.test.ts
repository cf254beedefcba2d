import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/endpoint-config-data-capture';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-004 data capture on and KMS-encrypted', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'CaptureKey', { enableKeyRotation: true });
  const productionVariants = [{ variantName: 'AllTraffic', modelName: 'model', initialInstanceCount: 2, instanceType: 'ml.g5.xlarge' }];
  const capture = (kmsKeyId?: string): sagemaker.CfnEndpointConfig.DataCaptureConfigProperty => ({
    enableCapture: true,
    initialSamplingPercentage: 100,
    destinationS3Uri: 's3://capture-bucket/endpoint',
    captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
    kmsKeyId,
  });
  new sagemaker.CfnEndpointConfig(stack, 'Captured', { productionVariants, dataCaptureConfig: capture(key.keyArn) });
  new sagemaker.CfnEndpointConfig(stack, 'NotCaptured', { productionVariants });
  new sagemaker.CfnEndpointConfig(stack, 'CapturedWithoutKey', { productionVariants, dataCaptureConfig: capture() });
  new sagemaker.CfnEndpointConfig(stack, 'Serverless', {
    productionVariants: [{ variantName: 'AllTraffic', modelName: 'model', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } }],
  });
  const overridden = new sagemaker.CfnEndpointConfig(stack, 'Overridden', { productionVariants, dataCaptureConfig: capture(key.keyArn) });
  overridden.addPropertyOverride('DataCaptureConfig.EnableCapture', false);
  const verdicts = verdictsOnStack(rule, stack);

  it('passes capture with a customer key', () => expect(verdicts.Captured).toBe('pass'));
  it('fails a config without capture, and capture without a key', () => {
    expect(verdicts.NotCaptured).toBe('fail');
    expect(verdicts.CapturedWithoutKey).toBe('fail');
  });
  it('is not applicable to a serverless config', () => expect(verdicts.Serverless).toBe('not-applicable'));
  it('fails capture switched off with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/DataCaptureConfig/EnableCapture', message: 'EnableCapture is false: data capture is configured but switched off' },
    ]);
  });
});
