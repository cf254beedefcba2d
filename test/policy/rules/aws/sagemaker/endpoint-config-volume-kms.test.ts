import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/endpoint-config-volume-kms';
import { evaluateScenario, itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-001 endpoint config ML volume encrypted with a customer key (none on NVMe types)', () => {
  itBehavesAsItsScenariosSay(rule);

  const scenario = (name: string) => evaluateScenario(rule, rule.scenarios.find((s) => s.name === name)!);
  it('explains the NVMe pass', () => {
    expect(scenario('NVMe type (g5) without KmsKeyId')).toEqual([
      { status: 'pass', note: 'ml.g5.xlarge has NVMe instance storage, encrypted by the instance hardware; SageMaker rejects KmsKeyId there' },
    ]);
    expect(scenario('NVMe type still to be verified (g6e) without KmsKeyId')).toEqual([
      expect.objectContaining({ status: 'pass', note: expect.stringContaining('NVMe classification of ml.g6e.2xlarge is still to be verified') }),
    ]);
  });
  it('says the deploy would fail for KmsKeyId on an NVMe type', () => {
    expect(scenario('NVMe type with KmsKeyId (the deploy would fail)')).toEqual([
      { status: 'fail', path: 'Properties/KmsKeyId', message: expect.stringContaining('ml.g5.xlarge (ProductionVariants/0) has local NVMe instance storage') },
    ]);
    expect(scenario('NVMe type with KmsKeyId (the deploy would fail)')[0]).toMatchObject({ message: expect.stringContaining('the deploy would fail') });
  });
  it('suggests separate endpoints for mixed variants, with or without a key', () => {
    for (const name of ['mixed NVMe and EBS variants with KmsKeyId', 'mixed NVMe and EBS variants without KmsKeyId']) {
      expect(scenario(name)).toEqual([
        { status: 'fail', path: 'Properties/KmsKeyId', message: expect.stringContaining('into separate endpoint configs and endpoints') },
      ]);
    }
    expect(scenario('EBS production variant with KmsKeyId and an NVMe shadow variant')[0]).toMatchObject({
      message: expect.stringContaining('ml.g5.xlarge (ShadowProductionVariants/0)'),
    });
  });
  it('names the unknown instance type', () => {
    expect(scenario('instance family the table does not know')).toEqual([
      { status: 'unresolvable', path: 'Properties/ProductionVariants/0/InstanceType', message: expect.stringContaining('ml.dl1.24xlarge') },
    ]);
  });

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'VolumeKey', { enableKeyRotation: true });
  const variant = (instanceType: string): sagemaker.CfnEndpointConfig.ProductionVariantProperty => ({
    variantName: 'AllTraffic', modelName: 'model', initialInstanceCount: 2, instanceType,
  });
  new sagemaker.CfnEndpointConfig(stack, 'CpuWithKey', { productionVariants: [variant('ml.m5.xlarge')], kmsKeyId: key.keyArn });
  new sagemaker.CfnEndpointConfig(stack, 'GpuWithoutKey', { productionVariants: [variant('ml.g5.xlarge')] });
  new sagemaker.CfnEndpointConfig(stack, 'CpuWithoutKey', { productionVariants: [variant('ml.m5.xlarge')] });
  new sagemaker.CfnEndpointConfig(stack, 'GpuWithKey', { productionVariants: [variant('ml.g5.xlarge')], kmsKeyId: key.keyArn });
  new sagemaker.CfnEndpointConfig(stack, 'Serverless', {
    productionVariants: [{ variantName: 'AllTraffic', modelName: 'model', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } }],
  });
  const switchedToGpu = new sagemaker.CfnEndpointConfig(stack, 'SwitchedToGpu', { productionVariants: [variant('ml.m5.xlarge')], kmsKeyId: key.keyArn });
  switchedToGpu.addPropertyOverride('ProductionVariants.0.InstanceType', 'ml.g5.2xlarge');
  const keyDeleted = new sagemaker.CfnEndpointConfig(stack, 'KeyDeleted', { productionVariants: [variant('ml.m5.xlarge')], kmsKeyId: key.keyArn });
  keyDeleted.addPropertyDeletionOverride('KmsKeyId');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes an EBS type with a customer key and an NVMe type without one', () => {
    expect(verdicts.CpuWithKey).toBe('pass');
    expect(verdicts.GpuWithoutKey).toBe('pass');
  });
  it('fails an EBS type without a key and an NVMe type with one', () => {
    expect(verdicts.CpuWithoutKey).toBe('fail');
    expect(verdicts.GpuWithKey).toBe('fail');
  });
  it('is not applicable to a serverless endpoint config', () => expect(verdicts.Serverless).toBe('not-applicable'));
  it('reads the rendered template: an override to an NVMe type makes the key a deploy failure', () => {
    expect(outcomesOnStack(rule, stack, 'SwitchedToGpu')).toEqual([
      { status: 'fail', path: 'Properties/KmsKeyId', message: expect.stringContaining('ml.g5.2xlarge (ProductionVariants/0)') },
    ]);
  });
  it('reads the rendered template: a deletion override of KmsKeyId fails', () => {
    expect(outcomesOnStack(rule, stack, 'KeyDeleted')).toEqual([
      { status: 'fail', path: 'Properties/KmsKeyId', message: expect.stringContaining('KmsKeyId is not set') },
    ]);
  });
});
