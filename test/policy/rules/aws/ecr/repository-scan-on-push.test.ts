import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/ecr/repository-scan-on-push';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-ECR-002 repository scans on push', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const compliant = new ecr.Repository(stack, 'Compliant', { imageScanOnPush: true });
  const defaults = new ecr.Repository(stack, 'Defaults');
  const raw = new ecr.CfnRepository(stack, 'Raw', { imageScanningConfiguration: { scanOnPush: false } });
  const overridden = new ecr.Repository(stack, 'Overridden', { imageScanOnPush: true });
  (overridden.node.defaultChild as ecr.CfnRepository).addPropertyOverride('ImageScanningConfiguration.ScanOnPush', false);
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK repository with imageScanOnPush', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails the CDK default', () => {
    expect(outcomesOnStack(rule, stack, idOf(defaults))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/ImageScanningConfiguration' })]);
  });
  it('fails a raw CfnRepository with scanOnPush false', () => {
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(raw))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ImageScanningConfiguration/ScanOnPush' }),
    ]);
  });
  it('fails a compliant repository broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ImageScanningConfiguration/ScanOnPush', message: 'ScanOnPush is false, so pushed images are not scanned' }),
    ]);
  });
});
