import { defineRule, fail, notApplicable, pass, unresolvable } from '../../../rule';
import { DRIFT_ENDPOINT_MARKER, DRIFT_MONITORS } from './drift-monitors';

/** The tag that says which environment a resource belongs to; endpoints without it count as production. */
export const ENVIRONMENT_TAG = 'regulated-mlops:environment';
const PRODUCTION = new Set(['production', 'prod']);

const ENDPOINT = { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'credit-risk-config-1', EndpointName: 'credit-risk' } };
const endpoint = (extra: Record<string, any>) => ({ ...ENDPOINT, Properties: { ...ENDPOINT.Properties, ...extra } });
const schedule = (endpointName: unknown) => ({
  Type: 'AWS::SageMaker::MonitoringSchedule',
  Properties: {
    MonitoringScheduleName: 'drift',
    EndpointName: endpointName,
    MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'data-quality', MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
  },
});
const driftJob = (marker: unknown) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::111122223333:role/drift', Code: { ZipFile: '' }, Environment: { Variables: { [DRIFT_ENDPOINT_MARKER]: marker } } },
});

/** MLOPS-SM-030: every production endpoint is watched for drift. */
export default defineRule({
  id: 'MLOPS-SM-030',
  title: 'Production SageMaker endpoint has drift monitoring (a monitoring schedule or a drift job)',
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  severity: 'medium',
  themes: ['MON'],
  acknowledgeable: true,
  rationale:
    'A model validated on last year\'s population silently degrades when its inputs shift. SR 11-7 expects ongoing ' +
    'monitoring of every model in use, and the EU AI Act post-market monitoring: without a drift job nobody learns ' +
    'that the inputs no longer look like the training data until outcomes have gone wrong. Model Monitor is closed to ' +
    'new customers, so a custom drift job over the data-capture bucket counts as well as a monitoring schedule.',
  fix:
    'Add a regulated-mlops DriftMonitor for the endpoint (DriftMonitor endpointName: the endpoint\'s name), or an ' +
    'AWS::SageMaker::MonitoringSchedule whose EndpointName names it, or mark your own drift job: an ' +
    `AWS::Lambda::Function whose Environment.Variables.${DRIFT_ENDPOINT_MARKER} is the endpoint's name. Endpoints that are ` +
    `not production carry the tag ${ENVIRONMENT_TAG} with another value (e.g. staging).`,
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html',
    'https://www.federalreserve.gov/supervisionreg/srletters/sr1107.htm (V, ongoing monitoring)',
  ],
  scenarios: [
    {
      name: 'monitoring schedule referencing the endpoint',
      expect: 'pass',
      resource: endpoint({}),
      others: { Drift: schedule({ 'Fn::GetAtt': ['Subject', 'EndpointName'] }) },
    },
    { name: 'drift job marked with the endpoint\'s name', expect: 'pass', resource: endpoint({}), others: { DriftJob: driftJob('credit-risk') } },
    {
      name: 'drift job marked with a reference to the endpoint without a fixed name',
      expect: 'pass',
      resource: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'c' } },
      others: { DriftJob: driftJob({ 'Fn::GetAtt': ['Subject', 'EndpointName'] }) },
    },
    { name: 'no drift monitoring', expect: 'fail', resource: endpoint({}) },
    { name: 'schedule for another endpoint', expect: 'fail', resource: endpoint({}), others: { Drift: schedule('fraud') } },
    {
      name: 'staging endpoint',
      expect: 'not-applicable',
      resource: endpoint({ Tags: [{ Key: ENVIRONMENT_TAG, Value: 'staging' }] }),
    },
    {
      name: 'drift job marked by a parameter, no other monitor',
      expect: 'unresolvable',
      resource: endpoint({}),
      others: { DriftJob: driftJob({ Ref: 'MonitoredEndpoint' }) },
    },
    {
      name: 'environment tag from a parameter',
      expect: 'unresolvable',
      resource: endpoint({ Tags: [{ Key: ENVIRONMENT_TAG, Value: { Ref: 'Environment' } }] }),
    },
  ],
  evaluate(resource, ctx) {
    const tags = ctx.array(resource.properties.Tags, 'Properties/Tags') ?? [];
    for (const [i, raw] of tags.entries()) {
      const tag = ctx.literal(raw, `Properties/Tags/${i}`);
      if (ctx.string(tag?.Key, `Properties/Tags/${i}/Key`) !== ENVIRONMENT_TAG) continue;
      const environment = ctx.string(tag.Value, `Properties/Tags/${i}/Value`) ?? '';
      if (!PRODUCTION.has(environment.toLowerCase())) return notApplicable(`tagged ${ENVIRONMENT_TAG}=${environment}: not a production endpoint`);
    }
    // Read only when a monitor names an endpoint literally: references match whatever the name is.
    let name: string | undefined;
    let nameRead = false;
    const endpointName = () => {
      if (!nameRead) name = ctx.string(resource.properties.EndpointName, 'Properties/EndpointName');
      nameRead = true;
      return name;
    };
    const markers = ctx.appIndex(DRIFT_MONITORS);
    const unknown: string[] = [];
    for (const marker of markers) {
      const target = marker.endpoint;
      if (target.kind === 'resource' && target.document === ctx.document && target.logicalId === resource.logicalId) {
        return pass(`monitored by the ${marker.kind} ${marker.monitor.logicalId}`);
      }
      if (target.kind === 'unknown') unknown.push(target.reason);
    }
    for (const marker of markers) {
      const target = marker.endpoint;
      if (target.kind === 'name' && target.name === endpointName()) return pass(`monitored by the ${marker.kind} ${marker.monitor.logicalId}`);
    }
    if (unknown.length > 0) {
      return unresolvable('Properties', `no drift monitor names this endpoint, and ${unknown.join('; ')}, which may`);
    }
    return fail('Properties', `no MonitoringSchedule names this endpoint${name ? ` (${name})` : ''} and no drift job is marked for it ` +
      `(a Lambda function with ${DRIFT_ENDPOINT_MARKER}): nothing watches its inputs for drift`);
  },
});
