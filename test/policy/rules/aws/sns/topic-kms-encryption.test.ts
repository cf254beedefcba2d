import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { EvaluationContext, EvaluationScope } from '../../../../../lib/policy/context';
import { templateDocument } from '../../../../../lib/policy/document';
import { runRule } from '../../../../../lib/policy/engine';
import rule from '../../../../../lib/policy/rules/aws/sns/topic-kms-encryption';
import { FIXTURE_DATE, itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SNS-001 topic encrypted with a customer-managed key', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const app = new App();
  const stack = new Stack(app, 'Fixtures');
  const keys = new Stack(app, 'Keys');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const key = new kms.Key(stack, 'AlertKey', { enableKeyRotation: true });
  const compliant = new sns.Topic(stack, 'Compliant', { masterKey: key });
  const unencrypted = new sns.Topic(stack, 'Unencrypted');
  const raw = new sns.CfnTopic(stack, 'Raw', { kmsMasterKeyId: 'alias/aws/sns' });
  const overridden = new sns.Topic(stack, 'Overridden', { masterKey: key });
  (overridden.node.defaultChild as sns.CfnTopic).addPropertyOverride('KmsMasterKeyId', 'alias/aws/sns');
  const crossStack = new sns.Topic(stack, 'CrossStack', { masterKey: new kms.Key(keys, 'SharedKey') });
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK topic with a customer-managed key', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails a CDK topic without a key', () => {
    expect(outcomesOnStack(rule, stack, idOf(unencrypted))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/KmsMasterKeyId' })]);
  });
  it('fails a raw CfnTopic with the AWS-managed key', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('fail'));
  it('fails a compliant topic broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KmsMasterKeyId', message: 'alias/aws/sns is the AWS-managed key, not a customer-managed one' }),
    ]);
  });
  it('follows a key exported by another stack of the app (Fn::ImportValue), and cannot alone', () => {
    const [own, other] = [stack, keys].map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName }));
    const topic = own.byLogicalId.get(idOf(crossStack))!;
    const scope = new EvaluationScope([own, other]);
    expect(runRule(rule, topic, new EvaluationContext(own, new Date(FIXTURE_DATE), scope))).toEqual([{ status: 'pass' }]);
    expect(verdicts[idOf(crossStack)]).toBe('unresolvable');
  });
});
