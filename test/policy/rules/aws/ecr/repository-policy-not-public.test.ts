import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/ecr/repository-policy-not-public';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-ECR-005 repository policy not open to everyone', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const compliant = new ecr.Repository(stack, 'Compliant');
  compliant.grantPull(new iam.AccountPrincipal('111122223333'));
  const orgWide = new ecr.Repository(stack, 'OrgWide');
  orgWide.grantPull(new iam.OrganizationPrincipal('o-abc1234567'));
  const open = new ecr.Repository(stack, 'Open');
  open.grantPull(new iam.AccountPrincipal('111122223333'));
  open.grantPull(new iam.AnyPrincipal());
  const noPolicy = new ecr.Repository(stack, 'NoPolicy');
  const raw = new ecr.CfnRepository(stack, 'Raw', {
    repositoryPolicyText: { Statement: [{ Effect: 'Allow', Action: 'ecr:*', Principal: { AWS: '*' } }] },
  });
  const overridden = new ecr.Repository(stack, 'Overridden');
  overridden.grantPull(new iam.AccountPrincipal('111122223333'));
  (overridden.node.defaultChild as ecr.CfnRepository).addPropertyOverride('RepositoryPolicyText.Statement.0.Principal', '*');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK repository shared with one account', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('passes a CDK repository shared with the organization (Principal * with aws:PrincipalOrgID)', () => {
    expect(verdicts[idOf(orgWide)]).toBe('pass');
  });
  it('is not applicable to a repository without a policy', () => expect(verdicts[idOf(noPolicy)]).toBe('not-applicable'));
  it('fails the anonymous grant of a CDK repository, and only that statement', () => {
    expect(outcomesOnStack(rule, stack, idOf(open))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/RepositoryPolicyText/Statement/1', message: 'the statement allows Principal * with no Condition' }),
    ]);
  });
  it('fails a raw CfnRepository open to {AWS: *}', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('fail'));
  it('fails a shared repository broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/RepositoryPolicyText/Statement/0' }),
    ]);
  });
});
