import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/sns/topic-tls-only';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SNS-002 topic policy denies publishing without TLS', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const compliant = new sns.Topic(stack, 'Compliant', { enforceSSL: true });
  compliant.grantPublish(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
  const noPolicy = new sns.Topic(stack, 'NoPolicy');
  const grantOnly = new sns.Topic(stack, 'GrantOnly');
  grantOnly.grantPublish(new iam.ServicePrincipal('events.amazonaws.com'));
  const raw = new sns.CfnTopic(stack, 'Raw', {});
  new sns.CfnTopicPolicy(stack, 'RawPolicy', {
    topics: [raw.ref],
    policyDocument: {
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sns:*', Resource: raw.ref, Condition: { Bool: { 'aws:SecureTransport': false } } }],
    },
  });
  const overridden = new sns.Topic(stack, 'Overridden', { enforceSSL: true });
  (overridden.node.findChild('Policy').node.defaultChild as sns.CfnTopicPolicy).addPropertyOverride(
    'PolicyDocument.Statement.0.Condition.Bool.aws:SecureTransport', 'true',
  );
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK topic with enforceSSL (also when other statements are added)', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails a CDK topic without a policy, and one whose policy only grants', () => {
    expect(outcomesOnStack(rule, stack, idOf(noPolicy))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties', message: expect.stringMatching(/^no AWS::SNS::TopicPolicy names this topic/) }),
    ]);
    expect(verdicts[idOf(grantOnly)]).toBe('fail');
  });
  it('passes a raw CfnTopic with a raw CfnTopicPolicy denying plain HTTP', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('pass'));
  it('fails an enforceSSL topic whose policy is broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties', message: expect.stringMatching(/has no statement with a Deny of sns:Publish/) }),
    ]);
  });
});
