import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/sqs/queue-tls-only';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SQS-002 queue policy denies access without TLS', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const compliant = new sqs.Queue(stack, 'Compliant', { enforceSSL: true });
  compliant.grantSendMessages(new iam.ServicePrincipal('events.amazonaws.com'));
  const noPolicy = new sqs.Queue(stack, 'NoPolicy');
  const raw = new sqs.CfnQueue(stack, 'Raw', {});
  new sqs.CfnQueuePolicy(stack, 'RawPolicy', {
    queues: [raw.ref],
    policyDocument: {
      Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: raw.attrArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    },
  });
  const overridden = new sqs.Queue(stack, 'Overridden', { enforceSSL: true });
  (overridden.node.findChild('Policy').node.defaultChild as sqs.CfnQueuePolicy).addPropertyOverride('PolicyDocument.Statement.0.Action', 'sqs:SendMessage');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK queue with enforceSSL (also when grants add statements)', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails a CDK queue without a policy', () => {
    expect(outcomesOnStack(rule, stack, idOf(noPolicy))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties', message: expect.stringMatching(/^no AWS::SQS::QueuePolicy names this queue/) }),
    ]);
  });
  it('passes a raw CfnQueue with a raw CfnQueuePolicy denying plain HTTP', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('pass'));
  it('fails an enforceSSL queue whose policy is broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties', message: expect.stringMatching(/has no statement with a Deny of sqs:\*/) }),
    ]);
  });
});
