import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const TOPIC = { Ref: 'Topic' };
const TOPICS = { Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/alerts' } } };
const alarm = (extra: Record<string, any>) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'RegulatedMlops/Drift', MetricName: 'MaxFeaturePSI', Statistic: 'Maximum', Period: 3600, EvaluationPeriods: 3,
    Threshold: 0.2, ComparisonOperator: 'GreaterThanThreshold', ...extra,
  },
});

/** MLOPS-CW-001: alarms notify someone. */
export default defineRule({
  id: 'MLOPS-CW-001',
  title: 'CloudWatch alarm has an alarm action, and its actions are enabled',
  resourceTypes: ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'],
  severity: 'medium',
  themes: ['MON'],
  acknowledgeable: true,
  rationale:
    'An alarm without an action changes state in a console nobody watches: drift, silent rollbacks and failing jobs go ' +
    'unnoticed. Monitoring controls (SR 11-7 ongoing monitoring, PCI DSS 10.7.2 control failures, HIPAA ' +
    '164.308(a)(6)(ii)) require that someone is told. ActionsEnabled false keeps the actions but never runs them.',
  fix:
    'Add an action when the alarm enters ALARM (alarm.addAlarmAction(new SnsAction(topic)); CloudFormation ' +
    'AWS::CloudWatch::Alarm AlarmActions) and leave actionsEnabled at its default true (ActionsEnabled).',
  references: [
    'AWS Config cloudwatch-alarm-action-check',
    'AWS Config cloudwatch-alarm-action-enabled-check',
    'Control Tower CT.CLOUDWATCH.PR.1, CT.CLOUDWATCH.PR.4',
    'cdk-nag HIPAA.Security-CloudWatchAlarmAction (also NIST.800.53.R4/R5)',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
  ],
  scenarios: [
    { name: 'alarm notifying a topic', expect: 'pass', resource: alarm({ AlarmActions: [TOPIC] }), others: TOPICS },
    {
      name: 'composite alarm notifying a topic',
      expect: 'pass',
      resource: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(a) OR ALARM(b)', AlarmActions: [TOPIC] } },
      others: TOPICS,
    },
    { name: 'no alarm action', expect: 'fail', resource: alarm({}) },
    { name: 'only an OK action', expect: 'fail', resource: alarm({ OKActions: [TOPIC] }), others: TOPICS },
    { name: 'actions disabled', expect: 'fail', resource: alarm({ AlarmActions: [TOPIC], ActionsEnabled: false }), others: TOPICS },
    { name: 'actions switched by a parameter', expect: 'unresolvable', resource: alarm({ AlarmActions: [TOPIC], ActionsEnabled: { Ref: 'Notify' } }), others: TOPICS },
  ],
  evaluate(resource, ctx) {
    const outcomes: RuleOutcome[] = [];
    const actions = (ctx.array(resource.properties.AlarmActions, 'Properties/AlarmActions') ?? [])
      .filter((action, i) => ctx.isPresent(action, `Properties/AlarmActions/${i}`));
    if (actions.length === 0) {
      outcomes.push(fail('Properties/AlarmActions', 'AlarmActions is empty: entering ALARM notifies nobody and starts nothing'));
    }
    if (ctx.bool(resource.properties.ActionsEnabled, 'Properties/ActionsEnabled') === false) {
      outcomes.push(fail('Properties/ActionsEnabled', 'ActionsEnabled is false: the alarm\'s actions never run'));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
