import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ModelCard, ModelCardRiskRating, ModelCardStatus } from '../../../../../constructs/registry/model-card';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/model-card-risk-and-key';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-031 model card risk rating and customer key', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'CardKey', { enableKeyRotation: true });
  const props = {
    modelName: 'credit-risk', description: 'PD model', trainingData: [{ location: 's3://training/credit/', version: 'v1' }], encryptionKey: key,
    intendedUses: { purposeOfModel: 'credit', intendedUses: 'retail loans', riskRating: ModelCardRiskRating.MEDIUM },
  };
  new ModelCard(stack, 'Compliant', props);
  const overridden = new ModelCard(stack, 'Overridden', { ...props, status: ModelCardStatus.APPROVED, approver: 'committee' });
  overridden.card.addPropertyOverride('Content.IntendedUses.RiskRating', 'Unknown');
  new sagemaker.CfnModelCard(stack, 'RawCfn', { modelCardName: 'raw', modelCardStatus: 'Draft', content: { modelOverview: { modelName: 'raw' } } });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a ModelCard construct', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails a raw CfnModelCard without rating or key, at both paths', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/Content/IntendedUses/RiskRating', 'Properties/SecurityConfig/KmsKeyId',
    ]);
  });
  it('fails an approved card made Unknown with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/Content/IntendedUses/RiskRating', message: expect.stringContaining('Approved with RiskRating Unknown') }),
    ]);
  });
});
