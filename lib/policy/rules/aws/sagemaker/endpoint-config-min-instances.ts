import { defineRule, fail, notApplicable, pass, RuleOutcome } from '../../../rule';

const MIN_INSTANCES = 2;
const config = (...variants: Record<string, any>[]) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: { ProductionVariants: variants },
});
const variant = (name: string, count: unknown, extra: Record<string, any> = {}) => ({
  VariantName: name, ModelName: 'model', InstanceType: 'ml.g5.xlarge', InitialInstanceCount: count, ...extra,
});

/** MLOPS-SM-022: instance-backed production variants run on at least two instances. */
export default defineRule({
  id: 'MLOPS-SM-022',
  title: 'SageMaker endpoint config runs every instance-backed production variant on at least 2 instances',
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  severity: 'medium',
  themes: ['RES'],
  acknowledgeable: true,
  rationale:
    'SageMaker spreads the instances of a variant across availability zones. With one instance, an instance failure, ' +
    'a zone outage or a host replacement takes the model offline until a new instance is provisioned and the model ' +
    'loaded (minutes for large GPU models). Two instances keep it serving, and give a canary deployment a fleet to ' +
    'take a slice of.',
  fix:
    'Set instanceCount: 2 or more on the regulated-mlops ModelEndpoint, or initialInstanceCount >= 2 on every ' +
    'production variant of CfnEndpointConfig (CloudFormation AWS::SageMaker::EndpointConfig ' +
    'ProductionVariants[].InitialInstanceCount, and ManagedInstanceScaling.MinInstanceCount when managed scaling is on).',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/dg/best-practices.html',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html',
  ],
  scenarios: [
    { name: 'two instances', expect: 'pass', resource: config(variant('AllTraffic', 2)) },
    {
      name: 'managed scaling between 2 and 4',
      expect: 'pass',
      resource: config(variant('AllTraffic', 2, { ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 2, MaxInstanceCount: 4 } })),
    },
    { name: 'one instance', expect: 'fail', resource: config(variant('AllTraffic', 1)) },
    { name: 'second variant on one instance', expect: 'fail', resource: config(variant('Blue', 2), variant('Green', 1)) },
    {
      name: 'managed scaling down to one instance',
      expect: 'fail',
      resource: config(variant('AllTraffic', 2, { ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 4 } })),
    },
    {
      name: 'serverless variant',
      expect: 'not-applicable',
      resource: config({ VariantName: 'AllTraffic', ModelName: 'model', ServerlessConfig: { MaxConcurrency: 5, MemorySizeInMB: 2048 } }),
    },
    { name: 'instance count from a parameter', expect: 'unresolvable', resource: config(variant('AllTraffic', { Ref: 'Instances' })) },
  ],
  evaluate(resource, ctx) {
    const variants = ctx.array(resource.properties.ProductionVariants, 'Properties/ProductionVariants') ?? [];
    const outcomes: RuleOutcome[] = [];
    let instanceBacked = 0;
    variants.forEach((item, i) => {
      const path = `Properties/ProductionVariants/${i}`;
      const v = ctx.literal(item, path) ?? {};
      if (!ctx.isPresent(v.InstanceType, `${path}/InstanceType`) && ctx.isPresent(v.ServerlessConfig, `${path}/ServerlessConfig`)) return;
      instanceBacked++;
      const name = ctx.string(v.VariantName, `${path}/VariantName`) ?? `variant ${i}`;
      const count = ctx.number(v.InitialInstanceCount, `${path}/InitialInstanceCount`);
      if (count === undefined || count < MIN_INSTANCES) {
        outcomes.push(fail(`${path}/InitialInstanceCount`,
          `${name} runs on ${count ?? 'an unset number of'} instance${count === 1 ? '' : 's'}: one failure takes the model offline`));
      }
      const scaling = ctx.literal(v.ManagedInstanceScaling, `${path}/ManagedInstanceScaling`);
      if (scaling !== undefined && ctx.string(scaling.Status, `${path}/ManagedInstanceScaling/Status`) !== 'DISABLED') {
        const min = ctx.number(scaling.MinInstanceCount, `${path}/ManagedInstanceScaling/MinInstanceCount`);
        if (min !== undefined && min < MIN_INSTANCES) {
          outcomes.push(fail(`${path}/ManagedInstanceScaling/MinInstanceCount`, `${name} may scale in to ${min} instance${min === 1 ? '' : 's'}`));
        }
      }
    });
    if (instanceBacked === 0) return notApplicable('every variant is serverless: SageMaker manages its capacity');
    return outcomes.length > 0 ? outcomes : pass();
  },
});
