import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import rule from '../../../../../lib/policy/rules/aws/logs/log-group-retention';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-LOGS-002 log group retention of at least 365 days', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new logs.LogGroup(stack, 'OneYear', { retention: logs.RetentionDays.ONE_YEAR });
  new logs.LogGroup(stack, 'CdkDefault'); // two years
  new logs.LogGroup(stack, 'OneMonth', { retention: logs.RetentionDays.ONE_MONTH });
  new logs.LogGroup(stack, 'Infinite', { retention: logs.RetentionDays.INFINITE });
  const overridden = new logs.LogGroup(stack, 'Overridden', { retention: logs.RetentionDays.ONE_YEAR });
  (overridden.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('RetentionInDays', 90);
  new logs.CfnLogGroup(stack, 'RawCfn', {});
  const days = new CfnParameter(stack, 'RetentionDays', { type: 'Number', default: 365 });
  new logs.CfnLogGroup(stack, 'RawParameter', { retentionInDays: days.valueAsNumber });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes one year and the CDK default of two years', () => {
    expect(verdictOf('OneYear')).toBe('pass');
    expect(verdictOf('CdkDefault')).toBe('pass');
  });
  it('fails a month', () => {
    expect(outcomesOnStack(rule, stack, 'OneMonth')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/RetentionInDays', message: expect.stringContaining('RetentionInDays is 30') }),
    ]);
  });
  it('fails RetentionDays.INFINITE: retention must be declared', () => {
    expect(outcomesOnStack(rule, stack, 'Infinite')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/RetentionInDays', message: expect.stringContaining('never expire') }),
    ]);
  });
  it('fails a raw CfnLogGroup without retention, and cannot evaluate one whose retention is a parameter', () => {
    expect(verdictOf('RawCfn')).toBe('fail');
    expect(outcomesOnStack(rule, stack, 'RawParameter')).toEqual([
      expect.objectContaining({ status: 'unresolvable', path: 'Properties/RetentionInDays', message: expect.stringContaining('RetentionDays') }),
    ]);
  });
  it('fails a compliant log group shortened with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/RetentionInDays', message: expect.stringContaining('RetentionInDays is 90') }),
    ]);
  });
});
