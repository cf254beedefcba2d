import { defineRule, fail, pass, RuleOutcome } from '../../../rule';
import { customerKeyProblem } from './customer-key';

const RATINGS = ['High', 'Medium', 'Low', 'Unknown'];
const KEY = { 'Fn::GetAtt': ['Key', 'Arn'] };
const KEYS = { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } };
const card = (intendedUses: Record<string, any> | undefined, extra: Record<string, any> = { SecurityConfig: { KmsKeyId: KEY } }) => ({
  Type: 'AWS::SageMaker::ModelCard',
  Properties: {
    ModelCardName: 'credit-risk',
    ModelCardStatus: 'PendingReview',
    Content: { ModelOverview: { ModelName: 'credit-risk' }, ...(intendedUses ? { IntendedUses: intendedUses } : {}) },
    ...extra,
  },
});

/** MLOPS-SM-031: a model card carries a risk rating and is encrypted with a customer key. */
export default defineRule({
  id: 'MLOPS-SM-031',
  title: 'SageMaker model card has a risk rating and is encrypted with a customer-managed key',
  resourceTypes: ['AWS::SageMaker::ModelCard'],
  severity: 'medium',
  themes: ['INV', 'ENC'],
  acknowledgeable: true,
  rationale:
    'The model card is the inventory entry and documentation of a model (SR 11-7 VI, EU AI Act Annex IV): its risk ' +
    'rating decides how much validation, monitoring and approval the model gets, so an unrated card hides a model from ' +
    'the right level of review, and an approved card may not stay Unknown. The card describes intended uses, training ' +
    'data and evaluation results: confidential documentation that needs a customer-managed key, not an AWS-owned one.',
  fix:
    'Use regulated-mlops ModelCard (intendedUses.riskRating, keys or encryptionKey), or set Content.IntendedUses.RiskRating ' +
    '(High, Medium or Low; Unknown only before approval) and SecurityConfig.KmsKeyId to a customer-managed kms.Key on ' +
    'CfnModelCard (content.intendedUses.riskRating, securityConfig.kmsKeyId).',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards.html',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards-security.html',
    'https://www.federalreserve.gov/supervisionreg/srletters/sr1107.htm (VI, model inventory and documentation)',
  ],
  scenarios: [
    { name: 'rated card with a key of the template', expect: 'pass', resource: card({ RiskRating: 'High', ExplanationsForRiskRating: 'credit' }), others: KEYS },
    { name: 'unrated draft with a key', expect: 'pass', resource: card({ RiskRating: 'Unknown' }), others: KEYS },
    { name: 'no IntendedUses', expect: 'fail', resource: card(undefined), others: KEYS },
    { name: 'no RiskRating', expect: 'fail', resource: card({ PurposeOfModel: 'credit' }), others: KEYS },
    {
      name: 'approved card rated Unknown',
      expect: 'fail',
      resource: card({ RiskRating: 'Unknown' }, { ModelCardStatus: 'Approved', SecurityConfig: { KmsKeyId: KEY } }),
      others: KEYS,
    },
    { name: 'no SecurityConfig (AWS-owned key)', expect: 'fail', resource: card({ RiskRating: 'Low' }, {}) },
    { name: 'AWS-managed alias', expect: 'fail', resource: card({ RiskRating: 'Low' }, { SecurityConfig: { KmsKeyId: 'alias/aws/sagemaker' } }) },
    { name: 'rating from a parameter', expect: 'unresolvable', resource: card({ RiskRating: { Ref: 'Rating' } }), others: KEYS },
  ],
  evaluate(resource, ctx) {
    const outcomes: RuleOutcome[] = [];
    const content = ctx.literal(resource.properties.Content, 'Properties/Content');
    const uses = ctx.literal(content?.IntendedUses, 'Properties/Content/IntendedUses');
    const path = 'Properties/Content/IntendedUses/RiskRating';
    const rating = ctx.string(uses?.RiskRating, path);
    const status = ctx.string(resource.properties.ModelCardStatus, 'Properties/ModelCardStatus');
    if (rating === undefined) {
      outcomes.push(fail(path, 'the card has no IntendedUses.RiskRating: the model is not rated, so nobody knows how much review it needs'));
    } else if (!RATINGS.includes(rating)) {
      outcomes.push(fail(path, `RiskRating is ${rating}, not one of ${RATINGS.join(', ')}`));
    } else if (rating === 'Unknown' && status === 'Approved') {
      outcomes.push(fail(path, 'the card is Approved with RiskRating Unknown: rate the model before approving it'));
    }
    const keyPath = 'Properties/SecurityConfig/KmsKeyId';
    const security = ctx.literal(resource.properties.SecurityConfig, 'Properties/SecurityConfig');
    const problem = customerKeyProblem(security?.KmsKeyId, keyPath, 'SecurityConfig.KmsKeyId', ctx);
    if (problem !== undefined) outcomes.push(fail(keyPath, `${problem}: the card's content is encrypted with an AWS-owned key`));
    if (outcomes.length > 0) return outcomes;
    return rating === 'Unknown' ? pass(`RiskRating is Unknown on a ${status ?? 'PendingReview'} card; it must be rated before approval`) : pass();
  },
});
