import { defineRule } from '../../../rule';
import { secureTransportVerdict } from '../sns/secure-transport';
import { QUEUE_POLICIES } from './queue-policies';

const DENY_PLAIN_HTTP = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'sqs:*',
  Resource: { 'Fn::GetAtt': ['Subject', 'Arn'] },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

/** MLOPS-SQS-002: a queue policy refuses every action over plain HTTP. */
export default defineRule({
  id: 'MLOPS-SQS-002',
  title: 'SQS queue policy denies access without TLS',
  resourceTypes: ['AWS::SQS::Queue'],
  severity: 'medium',
  themes: ['TRN'],
  acknowledgeable: true,
  rationale:
    'SQS accepts requests over plain HTTP. Without a Deny on aws:SecureTransport false, a misconfigured producer or ' +
    'consumer can send or receive pipeline messages unencrypted in transit; the queue policy makes TLS mandatory for every caller.',
  fix:
    'Set enforceSSL: true on sqs.Queue. In CloudFormation, attach an AWS::SQS::QueuePolicy whose Queues include the ' +
    'queue (Ref gives its URL), with a statement {Effect: Deny, Principal: *, Action: sqs:*, Resource: <queue ARN>, ' +
    'Condition: {Bool: {aws:SecureTransport: false}}}.',
  references: [
    'cdk-nag AwsSolutions-SQS4',
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html',
  ],
  scenarios: [
    {
      name: 'queue policy denies plain HTTP',
      expect: 'pass',
      resource: { Type: 'AWS::SQS::Queue', Properties: {} },
      others: { Policy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Subject' }], PolicyDocument: { Statement: [DENY_PLAIN_HTTP] } } } },
    },
    { name: 'no queue policy', expect: 'fail', resource: { Type: 'AWS::SQS::Queue', Properties: {} } },
    {
      name: 'TLS deny of SendMessage only',
      expect: 'fail',
      resource: { Type: 'AWS::SQS::Queue', Properties: {} },
      others: {
        Policy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Subject' }], PolicyDocument: { Statement: [{ ...DENY_PLAIN_HTTP, Action: 'sqs:SendMessage' }] } } },
      },
    },
    {
      name: 'TLS deny for one principal only',
      expect: 'fail',
      resource: { Type: 'AWS::SQS::Queue', Properties: {} },
      others: {
        Policy: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: { Queues: [{ Ref: 'Subject' }], PolicyDocument: { Statement: [{ ...DENY_PLAIN_HTTP, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }] } },
        },
      },
    },
    {
      name: 'queue policy document chosen by a condition',
      expect: 'unresolvable',
      resource: { Type: 'AWS::SQS::Queue', Properties: {} },
      others: {
        Policy: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: { Queues: [{ Ref: 'Subject' }], PolicyDocument: { 'Fn::If': ['Strict', { Statement: [DENY_PLAIN_HTTP] }, { Statement: [] }] } },
        },
      },
    },
  ],
  evaluate(queue, ctx) {
    return secureTransportVerdict(queue, ctx.index(QUEUE_POLICIES), { policyType: 'AWS::SQS::QueuePolicy', action: 'sqs:*', noun: 'queue' }, ctx);
  },
});
