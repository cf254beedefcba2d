import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import rule from '../../../../../lib/policy/rules/aws/cloudwatch/alarm-actions';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-CW-001 alarms have an enabled alarm action', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file.
  const stack = new Stack(new App(), 'Fixtures');
  const topic = new sns.Topic(stack, 'Topic');
  const metric = new cloudwatch.Metric({ namespace: 'RegulatedMlops/Drift', metricName: 'MaxFeaturePSI', period: Duration.hours(1) });
  const alarm = (id: string, props: Partial<cloudwatch.AlarmProps> = {}) =>
    new cloudwatch.Alarm(stack, id, { metric, threshold: 0.2, evaluationPeriods: 3, ...props });
  alarm('Notifying').addAlarmAction(new actions.SnsAction(topic));
  alarm('Silent');
  alarm('Disabled', { actionsEnabled: false }).addAlarmAction(new actions.SnsAction(topic));
  const overridden = alarm('Overridden');
  overridden.addAlarmAction(new actions.SnsAction(topic));
  (overridden.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('AlarmActions', []);
  new cloudwatch.CfnAlarm(stack, 'RawCfn', { comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, metricName: 'm', namespace: 'n', period: 60, statistic: 'Sum', threshold: 1 });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an alarm that notifies a topic', () => expect(verdictOf('Notifying')).toBe('pass'));
  it('fails an alarm without actions and a raw CfnAlarm without actions', () => {
    expect(verdictOf('Silent')).toBe('fail');
    expect(verdictOf('RawCfn')).toBe('fail');
  });
  it('fails an alarm whose actions are disabled, at ActionsEnabled', () => {
    expect(outcomesOnStack(rule, stack, 'Disabled')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ActionsEnabled', message: "ActionsEnabled is false: the alarm's actions never run" }),
    ]);
  });
  it('fails an alarm whose actions were removed with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/AlarmActions' })]);
  });
});
