import { meetsThreshold, ModelCardDocument, renderModelCardMarkdown } from '../../../constructs/registry/model-card-markdown';

const CARD: ModelCardDocument = {
  cardName: 'Cards-Card-5F1CC3FF',
  modelName: 'credit-risk',
  description: 'Probability of default for retail loans.',
  status: 'Approved',
  owner: 'credit-analytics',
  riskRating: 'High',
  explanationsForRiskRating: 'Supports credit decisions about consumers.',
  purposeOfModel: 'Credit decisioning support',
  intendedUses: 'Retail loan applications in the EU',
  factorsAffectingModelEfficiency: 'Thin-file applicants',
  business: { problem: 'Loan losses', stakeholders: 'Credit risk | Lending', lineOfBusiness: 'Retail' },
  trainingData: [{ location: 's3://training/credit/2026-10/', version: 'v12', description: 'applications 2019-2025' }],
  trainingObservations: 'Class balance 1:9.',
  evaluations: [{
    name: 'holdout-2026-10',
    datasets: ['s3://training/credit/holdout/'],
    metrics: [
      { name: 'auc', type: 'number', value: 0.81, threshold: { comparison: '>=', value: 0.75 } },
      { name: 'brier', type: 'number', value: 0.2, threshold: { comparison: '<=', value: 0.15 }, notes: 'calibration drifted' },
      { name: 'calibrated', type: 'boolean', value: true },
    ],
    observations: 'Stable across regions.',
  }],
  fairness: { name: 'fairness', datasets: [], metrics: [{ name: 'disparate_impact', type: 'number', value: 0.92, threshold: { comparison: '>', value: 0.8 } }] },
  approver: 'model-risk-committee',
  ethicalConsiderations: 'Protected attributes excluded.',
  caveatsAndRecommendations: 'Not for small-business loans.',
  modelPackageGroup: 'credit-risk',
  encryptionKey: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
  source: 'Cards/Card',
};

describe('model card Markdown', () => {
  const markdown = renderModelCardMarkdown(CARD);

  it('heads the card with its status, risk rating, approver, package group and key', () => {
    expect(markdown).toContain('# Model card: credit-risk');
    expect(markdown).toContain('| Status | Approved |');
    expect(markdown).toContain('| Risk rating | **High** |');
    expect(markdown).toContain('| Approver | model-risk-committee |');
    expect(markdown).toContain('| Model package group | `credit-risk` |');
    expect(markdown).toContain('| Encryption key | `arn:aws:kms:eu-west-1:111122223333:key/abc` |');
  });

  it('explains the risk rating and lists the intended uses', () => {
    expect(markdown).toContain('**High**: Supports credit decisions about consumers.');
    expect(markdown).toContain('- Intended uses: Retail loan applications in the EU');
    expect(markdown).toContain('- Factors affecting efficacy: Thin-file applicants');
  });

  it('lists the training data with versions', () => {
    expect(markdown).toContain('| `s3://training/credit/2026-10/` | v12 | applications 2019-2025 |');
  });

  it('tables metrics with thresholds and whether they are met', () => {
    expect(markdown).toContain('| auc | 0.81 | >= 0.75 | meets |  |');
    expect(markdown).toContain('| brier | 0.2 | <= 0.15 | **does not meet** | calibration drifted |');
    expect(markdown).toContain('| calibrated | true |  |  |  |');
    expect(markdown).toMatch(/## Fairness\n\n\| Metric[^\n]*\n[^\n]*\n\| disparate_impact \| 0.92 \| > 0.8 \| meets \|/);
  });

  it('escapes pipes in table cells', () => {
    expect(markdown).toContain('- Stakeholders: Credit risk | Lending');
    expect(renderModelCardMarkdown({ ...CARD, approver: 'a|b' })).toContain('| Approver | a\\|b |');
  });

  it('says what is missing instead of leaving sections empty', () => {
    const minimal = renderModelCardMarkdown({
      ...CARD, status: 'PendingReview', approver: undefined, trainingData: [], evaluations: [], fairness: undefined, business: undefined,
      owner: undefined, modelPackageGroup: undefined, ethicalConsiderations: undefined, caveatsAndRecommendations: undefined, trainingObservations: undefined,
    });
    expect(minimal).toContain('| Approver | not approved |');
    expect(minimal).toMatch(/## Training data\n\nNone recorded\./);
    expect(minimal).toMatch(/## Evaluation\n\nNone recorded\./);
    expect(minimal).not.toMatch(/Business details|Fairness|Ethical|Model package group|\| Owner/);
    expect(minimal).not.toMatch(/\n\n\n/);
    expect(minimal.endsWith('None recorded.\n')).toBe(true);
  });

  it('matches the snapshot', () => {
    expect(markdown).toMatchSnapshot();
  });
});

describe('thresholds', () => {
  it.each([
    [0.8, '>=', 0.8, true], [0.79, '>=', 0.8, false], [0.8, '>', 0.8, false], [0.1, '<=', 0.1, true], [0.1, '<', 0.1, false], [0.05, '<', 0.1, true],
  ])('%p %s %p is %p', (value, comparison, threshold, met) => {
    expect(meetsThreshold(value as number, comparison as string, threshold as number)).toBe(met);
  });

  it('fails on an unknown comparison', () => {
    expect(() => meetsThreshold(1, '==', 1)).toThrow(/unknown threshold comparison/);
  });
});
