import { defineRule, fail, notApplicable, pass, RuleOutcome } from '../../../rule';
import { customerKeyProblem } from './customer-key';
import { endpointVariants } from './endpoint-variants';

const BASE = 'Properties/DataCaptureConfig';
const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const capture = (extra: Record<string, any>) => ({
  InitialSamplingPercentage: 100,
  DestinationS3Uri: 's3://capture-bucket/endpoint',
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  ...extra,
});
const config = (extra: Record<string, any>) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'model', InitialInstanceCount: 2, InstanceType: 'ml.g5.xlarge' }], ...extra },
});

/** MLOPS-SM-004: endpoints capture requests and responses, encrypted with a customer key. */
export default defineRule({
  id: 'MLOPS-SM-004',
  title: 'SageMaker endpoint config captures inference data, encrypted with a customer-managed key',
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  severity: 'medium',
  themes: ['LOG', 'MON', 'ENC'],
  acknowledgeable: true,
  rationale:
    'CloudTrail does not record InvokeEndpoint, so data capture is the record of what the model was asked and what it ' +
    'answered: the evidence for audits, complaints and drift monitoring. Captured payloads are regulated data and must ' +
    'be encrypted with a customer-managed key, not the account default S3 key.',
  fix:
    'Set dataCaptureConfig on CfnEndpointConfig (CloudFormation AWS::SageMaker::EndpointConfig DataCaptureConfig) with ' +
    'enableCapture: true, initialSamplingPercentage > 0, destinationS3Uri, captureOptions Input and Output, and kmsKeyId ' +
    '(DataCaptureConfig.KmsKeyId) set to a customer-managed kms.Key.',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html',
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataCaptureConfig.html',
  ],
  scenarios: [
    {
      name: 'capture on with a key of the template',
      expect: 'pass',
      resource: config({ DataCaptureConfig: capture({ EnableCapture: true, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }) }),
      others: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    { name: 'EnableCapture unset (default on) with a key ARN', expect: 'pass', resource: config({ DataCaptureConfig: capture({ KmsKeyId: ARN }) }) },
    { name: 'no DataCaptureConfig', expect: 'fail', resource: config({}) },
    { name: 'capture switched off', expect: 'fail', resource: config({ DataCaptureConfig: capture({ EnableCapture: false, KmsKeyId: ARN }) }) },
    { name: 'capture without KmsKeyId', expect: 'fail', resource: config({ DataCaptureConfig: capture({ EnableCapture: true }) }) },
    {
      name: 'capture with the AWS-managed S3 key',
      expect: 'fail',
      resource: config({ DataCaptureConfig: capture({ KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' }) }),
    },
    { name: 'sampling 0 percent', expect: 'fail', resource: config({ DataCaptureConfig: capture({ InitialSamplingPercentage: 0, KmsKeyId: ARN }) }) },
    {
      name: 'serverless endpoint (capture unsupported)',
      expect: 'not-applicable',
      resource: {
        Type: 'AWS::SageMaker::EndpointConfig',
        Properties: { ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'model', ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } }] },
      },
    },
    {
      name: 'capture switched by a parameter',
      expect: 'unresolvable',
      resource: config({ DataCaptureConfig: capture({ EnableCapture: { Ref: 'Capture' }, KmsKeyId: ARN }) }),
    },
  ],
  evaluate(endpointConfig, ctx) {
    const variants = endpointVariants(endpointConfig, ctx);
    if (variants.length > 0 && variants.every((v) => v.serverless)) {
      return notApplicable(
        'every variant is serverless, and serverless inference does not support data capture; serverless endpoints also ' +
          'fail the VPC and network isolation controls (MLOPS-SM-002, MLOPS-SM-003)',
      );
    }
    const dataCapture = ctx.literal(endpointConfig.properties.DataCaptureConfig, BASE);
    if (dataCapture === undefined) return fail(BASE, 'DataCaptureConfig is not set: inference requests and responses are not recorded');

    const outcomes: RuleOutcome[] = [];
    if (ctx.bool(dataCapture.EnableCapture, `${BASE}/EnableCapture`) === false) {
      outcomes.push(fail(`${BASE}/EnableCapture`, 'EnableCapture is false: data capture is configured but switched off'));
    }
    if (ctx.number(dataCapture.InitialSamplingPercentage, `${BASE}/InitialSamplingPercentage`) === 0) {
      outcomes.push(fail(`${BASE}/InitialSamplingPercentage`, 'InitialSamplingPercentage is 0: no request is captured'));
    }
    const problem = customerKeyProblem(dataCapture.KmsKeyId, `${BASE}/KmsKeyId`, 'DataCaptureConfig.KmsKeyId', ctx);
    if (problem !== undefined) {
      outcomes.push(fail(`${BASE}/KmsKeyId`, `${problem}: captured requests and responses are not encrypted with a customer-managed key`));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
