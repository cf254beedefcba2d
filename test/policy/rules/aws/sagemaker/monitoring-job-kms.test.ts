import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/monitoring-job-kms';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-006 monitoring outputs and volumes encrypted', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'MonitoringKey', { enableKeyRotation: true });
  const dataQuality = (id: string, keyArn?: string) =>
    new sagemaker.CfnDataQualityJobDefinition(stack, id, {
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
      dataQualityAppSpecification: { imageUri: 'monitor-image' },
      dataQualityJobInput: { endpointInput: { endpointName: 'endpoint', localPath: '/opt/ml/processing/input' } },
      dataQualityJobOutputConfig: {
        kmsKeyId: keyArn,
        monitoringOutputs: [{ s3Output: { localPath: '/opt/ml/processing/output', s3Uri: 's3://reports/dq' } }],
      },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.xlarge', volumeSizeInGb: 20, volumeKmsKeyId: keyArn } },
      networkConfig: { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true },
    });
  dataQuality('Encrypted', key.keyArn);
  dataQuality('Unencrypted');
  dataQuality('Overridden', key.keyArn).addPropertyDeletionOverride('JobResources.ClusterConfig.VolumeKmsKeyId');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a job definition with output and volume keys', () => expect(verdicts.Encrypted).toBe('pass'));
  it('fails a job definition without keys, one outcome per key', () => {
    expect(outcomesOnStack(rule, stack, 'Unencrypted').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/DataQualityJobOutputConfig/KmsKeyId',
      'Properties/JobResources/ClusterConfig/VolumeKmsKeyId',
    ]);
  });
  it('fails an encrypted job whose volume key is deleted with an override (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/JobResources/ClusterConfig/VolumeKmsKeyId', message: expect.stringContaining('VolumeKmsKeyId is not set') },
    ]);
  });
});
