import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const BASE = 'Properties/DeploymentConfig';
const ALARMS = `${BASE}/AutoRollbackConfiguration/Alarms`;
const endpoint = (deploymentConfig?: Record<string, any>) => ({
  Type: 'AWS::SageMaker::Endpoint',
  Properties: {
    EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] },
    ...(deploymentConfig ? { DeploymentConfig: deploymentConfig } : {}),
  },
});
const CONFIG = { Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [] } } };
const canary = (extra: Record<string, any> = {}) => ({
  TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } },
  TerminationWaitInSeconds: 600,
  MaximumExecutionTimeoutInSeconds: 3600,
  ...extra,
});
const alarms = (...names: unknown[]) => ({ Alarms: names.map((AlarmName) => ({ AlarmName })) });

/** MLOPS-SM-020: endpoint updates are guarded (blue/green or rolling) and roll back automatically on alarms. */
export default defineRule({
  id: 'MLOPS-SM-020',
  title: 'SageMaker endpoint deploys new configs with guardrails and automatic rollback on 1 to 10 alarms',
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  severity: 'high',
  themes: ['CHG'],
  acknowledgeable: true,
  rationale:
    'Without a DeploymentConfig an endpoint update swaps the whole fleet to the new model at once, and a model that ' +
    'errors or slows down serves every request until someone notices. Blue/green (or rolling) deployment guardrails ' +
    'shift traffic step by step, bake while CloudWatch alarms watch the new fleet, and move all traffic back when an ' +
    'alarm goes off: a controlled change with an automatic rollback (SR 11-7 implementation, PCI DSS 6.5, NIST CM-3). ' +
    'A deployment without any bake time gives the alarms nothing to judge.',
  fix:
    'Use the regulated-mlops ModelEndpoint (deployment: DeploymentStrategy.canary() or .linear()), or set ' +
    'deploymentConfig on CfnEndpoint (CloudFormation AWS::SageMaker::Endpoint DeploymentConfig) with ' +
    'BlueGreenUpdatePolicy {TrafficRoutingConfiguration {Type CANARY|LINEAR|ALL_AT_ONCE, WaitIntervalInSeconds}, ' +
    'TerminationWaitInSeconds, MaximumExecutionTimeoutInSeconds} (or RollingUpdatePolicy) and ' +
    'AutoRollbackConfiguration.Alarms: 1 to 10 {AlarmName} of alarms on the new endpoint config.',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html',
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeploymentConfig.html',
  ],
  scenarios: [
    {
      name: 'canary with alarms of the template',
      expect: 'pass',
      resource: endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: alarms({ Ref: 'Errors' }, { Ref: 'Latency' }) }),
      others: {
        ...CONFIG,
        Errors: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
        Latency: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
      },
    },
    {
      name: 'rolling update with an alarm by name',
      expect: 'pass',
      resource: endpoint({
        RollingUpdatePolicy: { MaximumBatchSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 300 },
        AutoRollbackConfiguration: alarms('fraud-5xx'),
      }),
      others: CONFIG,
    },
    { name: 'no DeploymentConfig', expect: 'fail', resource: endpoint(), others: CONFIG },
    {
      name: 'blue/green without AutoRollbackConfiguration',
      expect: 'fail',
      resource: endpoint({ BlueGreenUpdatePolicy: canary() }),
      others: CONFIG,
    },
    {
      name: 'rollback configuration with no alarms',
      expect: 'fail',
      resource: endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: { Alarms: [] } }),
      others: CONFIG,
    },
    {
      name: 'eleven alarms',
      expect: 'fail',
      resource: endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: alarms(...Array.from({ length: 11 }, (_, i) => `alarm-${i}`)) }),
      others: CONFIG,
    },
    {
      name: 'all at once with no bake at all',
      expect: 'fail',
      resource: endpoint({
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 }, TerminationWaitInSeconds: 0 },
        AutoRollbackConfiguration: alarms('fraud-5xx'),
      }),
      others: CONFIG,
    },
    {
      name: 'alarm list from a parameter',
      expect: 'unresolvable',
      resource: endpoint({ BlueGreenUpdatePolicy: canary(), AutoRollbackConfiguration: { Alarms: { Ref: 'RollbackAlarms' } } }),
      others: CONFIG,
    },
  ],
  evaluate(resource, ctx) {
    const config = ctx.literal(resource.properties.DeploymentConfig, BASE);
    if (config === undefined) {
      return fail(BASE, 'DeploymentConfig is not set: an update replaces the whole fleet at once, with no bake and no automatic rollback');
    }
    const outcomes: RuleOutcome[] = [];
    const blueGreen = ctx.literal(config.BlueGreenUpdatePolicy, `${BASE}/BlueGreenUpdatePolicy`);
    const rolling = ctx.literal(config.RollingUpdatePolicy, `${BASE}/RollingUpdatePolicy`);
    if (blueGreen === undefined && rolling === undefined) {
      outcomes.push(fail(BASE, 'DeploymentConfig has neither BlueGreenUpdatePolicy nor RollingUpdatePolicy: SageMaker shifts traffic all at once without bake'));
    } else if (blueGreen !== undefined) {
      const path = `${BASE}/BlueGreenUpdatePolicy`;
      const routing = ctx.literal(blueGreen.TrafficRoutingConfiguration, `${path}/TrafficRoutingConfiguration`) ?? {};
      const wait = ctx.number(routing.WaitIntervalInSeconds, `${path}/TrafficRoutingConfiguration/WaitIntervalInSeconds`) ?? 0;
      const termination = ctx.number(blueGreen.TerminationWaitInSeconds, `${path}/TerminationWaitInSeconds`) ?? 0;
      if (wait === 0 && termination === 0) {
        outcomes.push(fail(path, 'WaitIntervalInSeconds and TerminationWaitInSeconds are both 0: the new fleet takes all traffic and the old one is ' +
          'terminated without any bake, so the rollback alarms have no time to go off'));
      }
    }

    const rollback = ctx.literal(config.AutoRollbackConfiguration, `${BASE}/AutoRollbackConfiguration`);
    if (rollback === undefined) {
      outcomes.push(fail(`${BASE}/AutoRollbackConfiguration`, 'AutoRollbackConfiguration is not set: a failing deployment is never rolled back automatically'));
    } else {
      const list = ctx.array(rollback.Alarms, ALARMS) ?? [];
      if (list.length === 0) outcomes.push(fail(ALARMS, 'AutoRollbackConfiguration.Alarms is empty: nothing can trigger a rollback'));
      if (list.length > 10) outcomes.push(fail(ALARMS, `AutoRollbackConfiguration.Alarms has ${list.length} alarms; SageMaker accepts at most 10`));
    }
    return outcomes.length > 0 ? outcomes : pass(rolling !== undefined && blueGreen === undefined ? 'rolling update with automatic rollback' : undefined);
  },
});
