import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const GROUP = 'AWS::SageMaker::ModelPackageGroup';
const TAGS = 'Properties/Tags';
/** The model inventory tags (SR 11-7 VI): the model's id, its accountable owner, its risk tier. */
const REQUIRED = ['model-id', 'owner', 'risk-tier'];
/** Risk tiers, as a model card's `IntendedUses.RiskRating` spells them (without `Unknown`). */
const TIERS = ['High', 'Medium', 'Low'];

const groupWith = (tags?: unknown) => ({ Type: GROUP, Properties: { ModelPackageGroupName: 'credit-risk', ...(tags === undefined ? {} : { Tags: tags }) } });
const inventory = (riskTier: unknown = 'High') => [
  { Key: 'model-id', Value: 'credit-risk-pd' }, { Key: 'owner', Value: 'credit-models' }, { Key: 'risk-tier', Value: riskTier },
];
const tagged = (riskTier?: unknown) => groupWith(inventory(riskTier));

/** MLOPS-SM-011: model package groups carry the model inventory tags. */
export default defineRule({
  id: 'MLOPS-SM-011',
  title: 'SageMaker model package group carries the inventory tags model-id, owner and risk-tier',
  resourceTypes: [GROUP],
  severity: 'medium',
  themes: ['INV'],
  acknowledgeable: true,
  rationale:
    'SR 11-7 expects a complete model inventory: every model in use, its owner and its risk rating, which decides how ' +
    'deep validation and monitoring go. The model package group is the model\'s registry record; tagging it with ' +
    'model-id, owner and risk-tier lets the inventory be built from the accounts themselves (Resource Groups Tagging ' +
    'API, AWS Config) instead of a spreadsheet that drifts. The EU AI Act (Art. 11, Annex IV) and PCI DSS 12.5.1 ask for ' +
    'the same inventory.',
  fix:
    'Create the group with ModelRegistry (owner and riskTier are required props; modelId defaults to the group name) or ' +
    'tag it: Tags.of(group).add("model-id", ...), ("owner", ...), ("risk-tier", "High" | "Medium" | "Low"). In ' +
    'CloudFormation: AWS::SageMaker::ModelPackageGroup Tags with those keys.',
  references: [
    'https://www.federalreserve.gov/supervisionreg/srletters/sr1107.htm',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-modelpackagegroup.html',
    'AWS Config sagemaker-feature-group-tagged (the same check for other SageMaker resources)',
  ],
  scenarios: [
    { name: 'all three tags, risk tier High', expect: 'pass', resource: tagged() },
    { name: 'risk tier Low among other tags', expect: 'pass', resource: groupWith([{ Key: 'cost-center', Value: '42' }, ...inventory('Low')]) },
    { name: 'no tags', expect: 'fail', resource: groupWith() },
    { name: 'owner missing', expect: 'fail', resource: groupWith([{ Key: 'model-id', Value: 'credit-risk-pd' }, { Key: 'risk-tier', Value: 'Medium' }]) },
    { name: 'risk tier outside High, Medium, Low', expect: 'fail', resource: tagged('Critical') },
    { name: 'empty owner', expect: 'fail', resource: groupWith([{ Key: 'model-id', Value: 'm' }, { Key: 'owner', Value: '' }, { Key: 'risk-tier', Value: 'Low' }]) },
    { name: 'risk tier from a parameter', expect: 'unresolvable', resource: tagged({ Ref: 'RiskTier' }) },
    { name: 'tags chosen by a condition', expect: 'unresolvable', resource: groupWith({ 'Fn::If': ['Prod', [], { Ref: 'AWS::NoValue' }] }) },
  ],
  evaluate(group, ctx) {
    const tags = ctx.array(group.properties.Tags, TAGS) ?? [];
    const values = new Map<string, { value: string | undefined; path: string }>();
    tags.forEach((tag, i) => {
      const key = ctx.string(tag?.Key, `${TAGS}/${i}/Key`);
      if (key !== undefined && REQUIRED.includes(key)) {
        const path = `${TAGS}/${i}/Value`;
        values.set(key, { value: ctx.string(tag?.Value, path), path });
      }
    });
    const outcomes: RuleOutcome[] = [];
    const missing = REQUIRED.filter((key) => !values.has(key));
    if (missing.length > 0) {
      outcomes.push(fail(TAGS, `the inventory tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`));
    }
    for (const [key, { value, path }] of values) {
      if (!value) outcomes.push(fail(path, `the inventory tag ${key} is empty`));
      else if (key === 'risk-tier' && !TIERS.includes(value)) outcomes.push(fail(path, `risk-tier is '${value}', not one of ${TIERS.join(', ')}`));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
