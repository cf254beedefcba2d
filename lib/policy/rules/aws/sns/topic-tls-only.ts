import { defineRule } from '../../../rule';
import { secureTransportVerdict } from './secure-transport';
import { TOPIC_POLICIES } from './topic-policies';

const DENY_PLAIN_HTTP = {
  Effect: 'Deny',
  Principal: '*',
  Action: 'sns:Publish',
  Resource: { Ref: 'Subject' },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

/** MLOPS-SNS-002: a topic policy refuses publishing over plain HTTP. */
export default defineRule({
  id: 'MLOPS-SNS-002',
  title: 'SNS topic policy denies publishing without TLS',
  resourceTypes: ['AWS::SNS::Topic'],
  severity: 'medium',
  themes: ['TRN'],
  acknowledgeable: true,
  rationale:
    'SNS accepts Publish over plain HTTP. Without a Deny on aws:SecureTransport false, a misconfigured client can ' +
    'send alert and approval-event payloads unencrypted in transit; the topic policy makes TLS mandatory for every caller.',
  fix:
    'Set enforceSSL: true on sns.Topic. In CloudFormation, attach an AWS::SNS::TopicPolicy whose Topics include the ' +
    'topic, with a statement {Effect: Deny, Principal: *, Action: sns:Publish, Resource: <topic>, ' +
    'Condition: {Bool: {aws:SecureTransport: false}}}.',
  references: [
    'cdk-nag AwsSolutions-SNS3',
    'https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html',
  ],
  scenarios: [
    {
      name: 'topic policy denies plain HTTP',
      expect: 'pass',
      resource: { Type: 'AWS::SNS::Topic', Properties: {} },
      others: { Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Subject' }], PolicyDocument: { Statement: [DENY_PLAIN_HTTP] } } } },
    },
    { name: 'no topic policy', expect: 'fail', resource: { Type: 'AWS::SNS::Topic', Properties: {} } },
    {
      name: 'topic policy without the TLS deny',
      expect: 'fail',
      resource: { Type: 'AWS::SNS::Topic', Properties: {} },
      others: {
        Policy: {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'Subject' }],
            PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'Subject' } }] },
          },
        },
      },
    },
    {
      name: 'TLS deny narrowed to one account',
      expect: 'fail',
      resource: { Type: 'AWS::SNS::Topic', Properties: {} },
      others: {
        Policy: {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'Subject' }],
            PolicyDocument: { Statement: [{ ...DENY_PLAIN_HTTP, Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalAccount': '111122223333' } } }] },
          },
        },
      },
    },
    {
      name: 'TLS deny on another topic of the same policy',
      expect: 'fail',
      resource: { Type: 'AWS::SNS::Topic', Properties: {} },
      others: {
        Other: { Type: 'AWS::SNS::Topic', Properties: {} },
        Policy: {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: { Topics: [{ Ref: 'Subject' }, { Ref: 'Other' }], PolicyDocument: { Statement: [{ ...DENY_PLAIN_HTTP, Resource: { Ref: 'Other' } }] } },
        },
      },
    },
    {
      name: 'a topic policy whose topics come from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::SNS::Topic', Properties: {} },
      others: { Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: { Ref: 'TopicArns' }, PolicyDocument: { Statement: [DENY_PLAIN_HTTP] } } } },
    },
  ],
  evaluate(topic, ctx) {
    return secureTransportVerdict(topic, ctx.index(TOPIC_POLICIES), { policyType: 'AWS::SNS::TopicPolicy', action: 'sns:Publish', noun: 'topic' }, ctx);
  },
});
