import { defineRule, fail, pass } from '../../../rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';
/** PCI DSS 10.5.1 asks for twelve months of audit log history; the longest common floor of the packs. */
const MIN_DAYS = 365;

/** MLOPS-LOGS-002: log groups declare a retention of at least a year. */
export default defineRule({
  id: 'MLOPS-LOGS-002',
  title: 'CloudWatch Logs log group declares a retention of at least 365 days',
  resourceTypes: [LOG_GROUP],
  severity: 'medium',
  themes: ['RET'],
  acknowledgeable: true,
  rationale:
    'PCI DSS 10.5.1 keeps audit logs twelve months, the EU AI Act keeps automatic logs at least six months, and ' +
    'HIPAA asks for a documented retention. A log group without RetentionInDays never expires: that keeps the ' +
    'history but declares no retention, breaks GDPR storage limitation (Art. 5(1)(e)) and grows cost without bound, ' +
    'so unlike the AWS Config rule (which accepts never-expire) this rule requires an explicit value. Shorter ' +
    'retention for data that must not be kept a year is a documented decision: acknowledge it.',
  fix:
    'Set retention: logs.RetentionDays.ONE_YEAR or longer on logs.LogGroup (AWS::Logs::LogGroup RetentionInDays >= 365); ' +
    'do not use RetentionDays.INFINITE, which removes RetentionInDays.',
  references: [
    'AWS Config cw-loggroup-retention-period-check',
    'Control Tower CT.CLOUDWATCH.PR.2',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
  ],
  scenarios: [
    { name: 'one year', expect: 'pass', resource: { Type: LOG_GROUP, Properties: { RetentionInDays: 365 } } },
    { name: 'ten years as a string', expect: 'pass', resource: { Type: LOG_GROUP, Properties: { RetentionInDays: '3653' } } },
    { name: 'ninety days', expect: 'fail', resource: { Type: LOG_GROUP, Properties: { RetentionInDays: 90 } } },
    { name: 'never expires (RetentionInDays unset)', expect: 'fail', resource: { Type: LOG_GROUP, Properties: {} } },
    { name: 'retention from a parameter', expect: 'unresolvable', resource: { Type: LOG_GROUP, Properties: { RetentionInDays: { Ref: 'RetentionDays' } } } },
  ],
  evaluate(logGroup, ctx) {
    const path = 'Properties/RetentionInDays';
    const days = ctx.number(logGroup.properties.RetentionInDays, path);
    if (days === undefined) {
      return fail(path, `RetentionInDays is unset, so events never expire: declare a retention of at least ${MIN_DAYS} days explicitly`);
    }
    if (days < MIN_DAYS) return fail(path, `RetentionInDays is ${days}, less than the ${MIN_DAYS} days audit logs must be kept`);
    return pass();
  },
});
