import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/ecr/repository-immutable-tags';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-ECR-003 repository has immutable tags', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const compliant = new ecr.Repository(stack, 'Compliant', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
  const withExclusion = new ecr.Repository(stack, 'WithExclusion', {
    imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
    imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('dev-*')],
  });
  const defaults = new ecr.Repository(stack, 'Defaults');
  const raw = new ecr.CfnRepository(stack, 'Raw', { imageTagMutability: 'MUTABLE' });
  const overridden = new ecr.Repository(stack, 'Overridden', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
  (overridden.node.defaultChild as ecr.CfnRepository).addPropertyOverride('ImageTagMutability', 'MUTABLE');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK repository with IMMUTABLE tags', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('passes IMMUTABLE_WITH_EXCLUSION and notes the mutable tags', () => {
    expect(outcomesOnStack(rule, stack, idOf(withExclusion))).toEqual([{ status: 'pass', note: 'tags matching dev-* stay mutable' }]);
  });
  it('fails the CDK default (MUTABLE)', () => {
    expect(outcomesOnStack(rule, stack, idOf(defaults))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/ImageTagMutability' })]);
  });
  it('fails a raw CfnRepository with MUTABLE tags', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('fail'));
  it('fails a compliant repository broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ImageTagMutability', message: 'ImageTagMutability is MUTABLE, so a released tag can be pointed at another image' }),
    ]);
  });
});
