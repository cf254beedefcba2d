import { isPlainObject } from '../../../document';
import { defineRule, fail, notApplicable, pass, RuleOutcome, unresolvable } from '../../../rule';
import { ALARM, alarmMetrics, ALARMS_BY_NAME, COMPOSITE_ALARM } from './rollback-alarms';

const ALARMS = 'Properties/DeploymentConfig/AutoRollbackConfiguration/Alarms';
const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';
const CONFIG_REF = { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] };
const OTHER_CONFIG_REF = { 'Fn::GetAtt': ['OldConfig', 'EndpointConfigName'] };
const CONFIGS = {
  Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [] } },
  OldConfig: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [] } },
};
const endpoint = (...alarmNames: unknown[]) => ({
  Type: 'AWS::SageMaker::Endpoint',
  Properties: {
    EndpointName: 'fraud',
    EndpointConfigName: CONFIG_REF,
    DeploymentConfig: {
      BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } } },
      AutoRollbackConfiguration: { Alarms: alarmNames.map((AlarmName) => ({ AlarmName })) },
    },
  },
});
const dims = (configName?: unknown) => [
  { Name: 'EndpointName', Value: 'fraud' },
  { Name: 'VariantName', Value: 'AllTraffic' },
  ...(configName === undefined ? [] : [{ Name: 'EndpointConfigName', Value: configName }]),
];
const alarm = (configName?: unknown, extra: Record<string, unknown> = {}) => ({
  Type: ALARM,
  Properties: {
    Namespace: SAGEMAKER_NAMESPACE, MetricName: 'Invocation5XXErrors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
    Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: dims(configName), ...extra,
  },
});

/** Whether two rendered values name the same endpoint config: true, false, or undefined when that cannot be told. */
function sameConfig(a: unknown, b: unknown, refOf: (v: unknown) => string | undefined): boolean | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const [ra, rb] = [refOf(a), refOf(b)];
  if (ra !== undefined && rb !== undefined) return ra === rb;
  if (typeof a === 'string' && typeof b === 'string') return false;
  return undefined;
}

/** MLOPS-SM-021: rollback alarms on SageMaker metrics judge the new endpoint config only. */
export default defineRule({
  id: 'MLOPS-SM-021',
  title: 'SageMaker rollback alarms on endpoint metrics are scoped to the deployed endpoint config (EndpointConfigName)',
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  severity: 'medium',
  themes: ['CHG', 'MON'],
  acknowledgeable: true,
  rationale:
    'During a blue/green deployment the old and the new fleet serve side by side. SageMaker publishes AWS/SageMaker ' +
    'metrics with an EndpointConfigName dimension once the new fleet takes traffic; an alarm without it watches the ' +
    'whole endpoint, so errors of the old fleet abort good deployments and the canary\'s own errors are diluted by ' +
    'the old fleet\'s healthy traffic. Scoped alarms judge the change itself.',
  fix:
    'Use the regulated-mlops ModelEndpoint (its alarms carry the dimension), or add the dimension ' +
    '{Name: EndpointConfigName, Value: <the EndpointConfigName of the endpoint>} to every AWS/SageMaker metric of the ' +
    'rollback alarms (cloudwatch.Metric dimensionsMap EndpointConfigName: cfnEndpointConfig.attrEndpointConfigName; ' +
    'CloudFormation AWS::CloudWatch::Alarm Dimensions, or Metrics[].MetricStat.Metric.Dimensions).',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html',
  ],
  scenarios: [
    {
      name: 'alarm of the template scoped to the endpoint\'s config',
      expect: 'pass',
      resource: endpoint({ Ref: 'Errors' }),
      others: { ...CONFIGS, Errors: alarm(CONFIG_REF) },
    },
    {
      name: 'metric-math alarm whose metrics are all scoped, found by literal name',
      expect: 'pass',
      resource: endpoint('fraud-errors'),
      others: {
        ...CONFIGS,
        Errors: {
          Type: ALARM,
          Properties: {
            AlarmName: 'fraud-errors', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            Metrics: [
              { Id: 'm0', ReturnData: false, MetricStat: { Metric: { Namespace: SAGEMAKER_NAMESPACE, MetricName: 'Invocation5XXErrors', Dimensions: dims(CONFIG_REF) }, Period: 60, Stat: 'Sum' } },
              { Id: 'e', Expression: 'SUM([m0])', ReturnData: true },
            ],
          },
        },
      },
    },
    {
      name: 'business KPI alarm outside AWS/SageMaker and an alarm of another template',
      expect: 'pass',
      resource: endpoint({ Ref: 'Approvals' }, 'defined-elsewhere'),
      others: { ...CONFIGS, Approvals: { Type: ALARM, Properties: { Namespace: 'Fraud/Business', MetricName: 'ApprovalRate', Dimensions: [] } } },
    },
    {
      name: 'alarm on the whole endpoint',
      expect: 'fail',
      resource: endpoint({ Ref: 'Errors' }),
      others: { ...CONFIGS, Errors: alarm() },
    },
    {
      name: 'alarm scoped to another endpoint config',
      expect: 'fail',
      resource: endpoint({ Ref: 'Errors' }),
      others: { ...CONFIGS, Errors: alarm(OTHER_CONFIG_REF) },
    },
    {
      name: 'composite alarm',
      expect: 'unresolvable',
      resource: endpoint({ Ref: 'Composite' }),
      others: { ...CONFIGS, Composite: { Type: COMPOSITE_ALARM, Properties: { AlarmRule: 'ALARM(a) OR ALARM(b)' } } },
    },
    {
      name: 'dimension value from a parameter',
      expect: 'unresolvable',
      resource: endpoint({ Ref: 'Errors' }),
      others: { ...CONFIGS, Errors: alarm({ Ref: 'ConfigName' }) },
    },
    {
      name: 'no rollback alarms',
      expect: 'not-applicable',
      resource: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: CONFIG_REF } },
      others: CONFIGS,
    },
  ],
  evaluate(resource, ctx) {
    const deployment = ctx.literal(resource.properties.DeploymentConfig, 'Properties/DeploymentConfig');
    const rollback = ctx.literal(deployment?.AutoRollbackConfiguration, 'Properties/DeploymentConfig/AutoRollbackConfiguration');
    const items = ctx.array(rollback?.Alarms, ALARMS) ?? [];
    if (items.length === 0) return notApplicable('the endpoint has no rollback alarms (MLOPS-SM-020 covers that)');

    const deployed = resource.properties.EndpointConfigName;
    const refOf = (v: unknown) => ctx.reference(v)?.logicalId;
    const outcomes: RuleOutcome[] = [];
    const notes: string[] = [];
    items.forEach((item, i) => {
      const path = `${ALARMS}/${i}/AlarmName`;
      const name = isPlainObject(item) ? item.AlarmName : undefined;
      const reference = ctx.reference(name);
      let alarmResource = reference ? ctx.resource(reference.logicalId) : undefined;
      if (!reference) {
        const literal = ctx.string(name, path);
        if (literal === undefined) return;
        alarmResource = ctx.index(ALARMS_BY_NAME).get(literal);
        if (!alarmResource) {
          notes.push(`${literal} is not defined in this template, so its scoping is not checked here`);
          return;
        }
      }
      if (!alarmResource) return;
      const label = alarmResource.logicalId;
      if (alarmResource.type === COMPOSITE_ALARM) {
        outcomes.push(unresolvable(path, `${label} is a composite alarm: whether its child alarms judge only the new endpoint config cannot be checked here`));
        return;
      }
      if (alarmResource.type !== ALARM) {
        outcomes.push(fail(path, `AlarmName refers to ${label}, a ${alarmResource.type}, not a CloudWatch alarm`));
        return;
      }
      const sageMakerMetrics = alarmMetrics(alarmResource, ctx).filter((m) => m.namespace === 'AWS/SageMaker');
      if (sageMakerMetrics.length === 0) {
        notes.push(`${label} watches no AWS/SageMaker metric (e.g. a business KPI), which has no endpoint config to scope to`);
        return;
      }
      for (const metric of sageMakerMetrics) {
        const where = `${label} ${metric.path.replace('Properties/', '')}`;
        if (!metric.dimensions.has('EndpointConfigName')) {
          outcomes.push(fail(path, `${where}: ${metric.metricName ?? 'the metric'} has no EndpointConfigName dimension, so the alarm judges the whole ` +
            'endpoint: errors of the old fleet abort good deployments and the new fleet\'s errors are diluted'));
          continue;
        }
        const value = metric.dimensions.get('EndpointConfigName');
        const same = sameConfig(value, deployed, refOf);
        if (same === false) {
          outcomes.push(fail(path, `${where}: the EndpointConfigName dimension is ${JSON.stringify(value)}, not the config the endpoint deploys ` +
            `(${JSON.stringify(deployed)})`));
        } else if (same === undefined) {
          outcomes.push(unresolvable(path, `${where}: whether the EndpointConfigName dimension ${JSON.stringify(value)} names the deployed config ` +
            `${JSON.stringify(deployed)} cannot be told at synth`));
        }
      }
    });
    if (outcomes.length > 0) return outcomes;
    return pass(notes.length > 0 ? notes.join('; ') : undefined);
  },
});
