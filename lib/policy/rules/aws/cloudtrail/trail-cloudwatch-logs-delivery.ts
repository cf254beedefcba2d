import { defineRule, fail } from '../../../rule';
import { checkEach } from './property-checks';

const TRAIL = 'AWS::CloudTrail::Trail';
const BASE = { S3BucketName: 'audit-trail-bucket', IsLogging: true, IsMultiRegionTrail: true };

/** MLOPS-CT-004: the trail also streams to CloudWatch Logs, where metric filters and alarms can watch it. */
export default defineRule({
  id: 'MLOPS-CT-004',
  title: 'CloudTrail trail delivers events to CloudWatch Logs',
  resourceTypes: [TRAIL],
  severity: 'medium',
  themes: ['MON', 'LOG'],
  acknowledgeable: true,
  rationale:
    'Log files in S3 are evidence after the fact. Delivery to CloudWatch Logs lets metric filters and alarms raise ' +
    'root logins, key deletions, policy changes or unapproved model deployments within minutes. An organisation ' +
    'trail that already does this centrally is a reason to acknowledge, not to skip the check.',
  fix:
    'Set sendToCloudWatchLogs: true (or cloudWatchLogGroup: <logs.LogGroup>) on cloudtrail.Trail ' +
    '(AWS::CloudTrail::Trail CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn, a role CloudTrail can assume to write the group).',
  references: [
    'AWS Config cloud-trail-cloud-watch-logs-enabled',
    'Control Tower CT.CLOUDTRAIL.PR.3',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  ],
  scenarios: [
    {
      name: 'log group and role of the template',
      expect: 'pass',
      resource: {
        Type: TRAIL,
        Properties: { ...BASE, CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': ['TrailLogs', 'Arn'] }, CloudWatchLogsRoleArn: { 'Fn::GetAtt': ['TrailLogsRole', 'Arn'] } },
      },
      others: {
        TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } },
        TrailLogsRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      },
    },
    { name: 'no CloudWatch Logs delivery', expect: 'fail', resource: { Type: TRAIL, Properties: BASE } },
    {
      name: 'log group without the role CloudTrail needs to write it',
      expect: 'fail',
      resource: { Type: TRAIL, Properties: { ...BASE, CloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:trail:*' } },
    },
    {
      name: 'role missing while the log group is conditional still fails on the role',
      expect: 'fail',
      resource: { Type: TRAIL, Properties: { ...BASE, CloudWatchLogsLogGroupArn: { 'Fn::If': ['Stream', 'arn:aws:logs:eu-west-1:111122223333:log-group:trail:*', { Ref: 'AWS::NoValue' }] } } },
    },
    {
      name: 'delivery only under a condition',
      expect: 'unresolvable',
      resource: {
        Type: TRAIL,
        Properties: {
          ...BASE,
          CloudWatchLogsLogGroupArn: { 'Fn::If': ['Stream', 'arn:aws:logs:eu-west-1:111122223333:log-group:trail:*', { Ref: 'AWS::NoValue' }] },
          CloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/trail-to-logs',
        },
      },
    },
  ],
  evaluate(trail, ctx) {
    const p = trail.properties;
    return checkEach([
      () =>
        ctx.isPresent(p.CloudWatchLogsLogGroupArn, 'Properties/CloudWatchLogsLogGroupArn')
          ? undefined
          : fail('Properties/CloudWatchLogsLogGroupArn', 'CloudWatchLogsLogGroupArn is unset: events are not delivered to CloudWatch Logs, so no alarm can watch them'),
      () =>
        ctx.isPresent(p.CloudWatchLogsRoleArn, 'Properties/CloudWatchLogsRoleArn')
          ? undefined
          : fail('Properties/CloudWatchLogsRoleArn', 'CloudWatchLogsRoleArn is unset: CloudTrail has no role to write events to the log group'),
    ]);
  },
});
