import { defineRule, fail, notApplicable, pass, RuleOutcome, unresolvable } from '../../../rule';
import { customerKeyProblem } from './customer-key';
import { endpointVariants, EndpointVariant } from './endpoint-variants';
import { instanceStorageOf } from './instance-storage';

const KEY = 'Properties/KmsKeyId';
const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const config = (variants: Record<string, any>[], extra: Record<string, any> = {}) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: variants, ...extra },
});
const variant = (name: string, instanceType: unknown) => ({ VariantName: name, ModelName: 'model', InitialInstanceCount: 2, InstanceType: instanceType });

/** `ml.g5.xlarge (ProductionVariants/0)`, for messages that must say which variant is meant. */
const listVariants = (variants: readonly EndpointVariant[]) =>
  variants.map((v) => `${v.instanceType} (${v.path.replace('Properties/', '')})`).join(', ');
const have = (variants: readonly EndpointVariant[]) => (variants.length === 1 ? 'has' : 'have');

/** MLOPS-SM-001: the ML storage volumes of an endpoint config are encrypted with a customer key, except on NVMe types. */
export default defineRule({
  id: 'MLOPS-SM-001',
  title: 'SageMaker endpoint config encrypts ML storage volumes with a customer-managed key (none on NVMe instance types)',
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'The ML storage volume of an endpoint instance holds the model artifacts and may hold request payloads. Without ' +
    'KmsKeyId it is encrypted with an AWS-managed key that cannot be scoped, audited per purpose or revoked. Instance ' +
    'types with local NVMe storage are the exception: their instance store is encrypted by the instance hardware and ' +
    'SageMaker rejects KmsKeyId there, so a config that sets it fails to deploy. No single config can mix the two kinds.',
  fix:
    'For EBS-backed instance types set the endpoint config key (CfnEndpointConfig kmsKeyId; CloudFormation ' +
    'AWS::SageMaker::EndpointConfig KmsKeyId) to a customer-managed kms.Key. For instance types with local NVMe storage ' +
    '(g5, g4dn, p4d, ...) omit KmsKeyId and VolumeSizeInGB. Put NVMe and EBS variants in separate endpoint configs and endpoints.',
  references: [
    'AWS Config sagemaker-endpoint-configuration-kms-key-configured',
    'cdk-nag HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured (also NIST.800.53.R4/R5, PCI.DSS.321)',
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/host-instance-storage.html',
  ],
  scenarios: [
    {
      name: 'EBS-backed type with a key of the template',
      expect: 'pass',
      resource: config([variant('AllTraffic', 'ml.m5.xlarge')], { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }),
      others: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    { name: 'NVMe type (g5) without KmsKeyId', expect: 'pass', resource: config([variant('AllTraffic', 'ml.g5.xlarge')]) },
    { name: 'NVMe type still to be verified (g6e) without KmsKeyId', expect: 'pass', resource: config([variant('AllTraffic', 'ml.g6e.2xlarge')]) },
    { name: 'EBS-backed type without KmsKeyId', expect: 'fail', resource: config([variant('AllTraffic', 'ml.m5.xlarge')]) },
    {
      name: 'EBS-backed type with the AWS-managed alias',
      expect: 'fail',
      resource: config([variant('AllTraffic', 'ml.inf1.xlarge')], { KmsKeyId: 'alias/aws/sagemaker' }),
    },
    {
      name: 'NVMe type with KmsKeyId (the deploy would fail)',
      expect: 'fail',
      resource: config([variant('AllTraffic', 'ml.g5.xlarge')], { KmsKeyId: ARN }),
    },
    {
      name: 'mixed NVMe and EBS variants with KmsKeyId',
      expect: 'fail',
      resource: config([variant('Gpu', 'ml.g5.xlarge'), variant('Cpu', 'ml.m5.xlarge')], { KmsKeyId: ARN }),
    },
    {
      name: 'mixed NVMe and EBS variants without KmsKeyId',
      expect: 'fail',
      resource: config([variant('Gpu', 'ml.g5.xlarge'), variant('Cpu', 'ml.m5.xlarge')]),
    },
    {
      name: 'EBS production variant with KmsKeyId and an NVMe shadow variant',
      expect: 'fail',
      resource: config([variant('Live', 'ml.m5.xlarge')], { KmsKeyId: ARN, ShadowProductionVariants: [variant('Shadow', 'ml.g5.xlarge')] }),
    },
    {
      name: 'serverless variant (no ML storage volume)',
      expect: 'not-applicable',
      resource: config([{ VariantName: 'AllTraffic', ModelName: 'model', ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } }]),
    },
    {
      name: 'instance family the table does not know',
      expect: 'unresolvable',
      resource: config([variant('AllTraffic', 'ml.dl1.24xlarge')]),
    },
    {
      name: 'instance type from a parameter',
      expect: 'unresolvable',
      resource: config([variant('AllTraffic', { Ref: 'InstanceType' })], { KmsKeyId: ARN }),
    },
    {
      name: 'KmsKeyId behind a condition',
      expect: 'unresolvable',
      resource: config([variant('AllTraffic', 'ml.m5.xlarge')], { KmsKeyId: { 'Fn::If': ['UseKey', ARN, { Ref: 'AWS::NoValue' }] } }),
    },
  ],
  evaluate(endpointConfig, ctx) {
    const variants = endpointVariants(endpointConfig, ctx);
    if (variants.length === 0) return fail('Properties/ProductionVariants', 'the endpoint config has no ProductionVariants');
    const instanceVariants = variants.filter((v) => !v.serverless);
    if (instanceVariants.length === 0) {
      return notApplicable(
        'every variant is serverless (ServerlessConfig): serverless inference uses no ML storage volume, so KmsKeyId does ' +
          'not apply; serverless endpoints also support neither a VPC nor network isolation',
      );
    }

    const outcomes: RuleOutcome[] = [];
    const nvme: EndpointVariant[] = [];
    const ebs: EndpointVariant[] = [];
    for (const v of instanceVariants) {
      const storage = v.instanceType === undefined ? undefined : instanceStorageOf(v.instanceType);
      if (storage === undefined) {
        outcomes.push(
          unresolvable(
            `${v.path}/InstanceType`,
            v.instanceType === undefined
              ? `${v.path.replace('Properties/', '')} has neither InstanceType nor ServerlessConfig, so its storage is unknown`
              : `${v.instanceType} is not an ml.* instance family this rule knows (reference/sagemaker.md §4): whether ` +
                  'SageMaker requires or rejects KmsKeyId depends on whether it has local NVMe storage',
          ),
        );
      } else (storage.nvme ? nvme : ebs).push(v);
    }

    const split = 'split the NVMe and the EBS-backed variants into separate endpoint configs and endpoints';
    const keySet = ctx.isPresent(endpointConfig.properties.KmsKeyId, KEY);
    if (keySet && nvme.length > 0) {
      outcomes.push(
        fail(
          KEY,
          `KmsKeyId is set, but ${listVariants(nvme)} ${have(nvme)} local NVMe instance storage, where SageMaker rejects KmsKeyId ` +
            '("You can\'t request a KmsKeyId when using an instance type with local storage"): the deploy would fail' +
            (ebs.length > 0 ? `; ${listVariants(ebs)} need${ebs.length === 1 ? 's' : ''} the key, so ${split}` : '; remove KmsKeyId'),
        ),
      );
    } else if (ebs.length > 0) {
      const problem = customerKeyProblem(endpointConfig.properties.KmsKeyId, KEY, 'KmsKeyId', ctx);
      if (problem !== undefined) {
        outcomes.push(
          fail(
            KEY,
            `${problem}: the ML storage volumes of ${listVariants(ebs)} are not encrypted with a customer-managed key` +
              (nvme.length > 0 ? `; ${listVariants(nvme)} ${have(nvme)} NVMe storage where SageMaker rejects KmsKeyId, so ${split}` : ''),
          ),
        );
      }
    }
    if (outcomes.length > 0) return outcomes;

    if (nvme.length === 0) return pass();
    const unverified = nvme.filter((v) => instanceStorageOf(v.instanceType!)?.verify).map((v) => v.instanceType);
    return pass(
      `${nvme.map((v) => v.instanceType).join(', ')} ${have(nvme)} NVMe instance storage, encrypted by the instance hardware; ` +
        'SageMaker rejects KmsKeyId there' +
        (unverified.length > 0 ? ` (the NVMe classification of ${unverified.join(', ')} is still to be verified, reference/sagemaker.md §4)` : ''),
    );
  },
});
