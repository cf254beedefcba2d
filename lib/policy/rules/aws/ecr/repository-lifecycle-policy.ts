import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-ECR-004: repositories expire images they no longer need. */
export default defineRule({
  id: 'MLOPS-ECR-004',
  title: 'ECR repository has a lifecycle policy with at least one rule',
  resourceTypes: ['AWS::ECR::Repository'],
  severity: 'low',
  themes: ['DATA'],
  acknowledgeable: true,
  rationale:
    'Every training run can push an image, and images may carry model weights derived from personal data. Without ' +
    'a lifecycle policy, untagged and superseded images are kept forever (storage limitation, GDPR Art. 5(1)(e); ' +
    'PCI DSS 3.2.1) and old vulnerable images stay pullable. Rules can expire untagged images while keeping the ' +
    'tagged releases that must stay reproducible.',
  fix:
    'Call repository.addLifecycleRule({ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(30) }) (or ' +
    'lifecycleRules on ecr.Repository), rendered as LifecyclePolicy.LifecyclePolicyText with a non-empty "rules" list.',
  references: [
    'AWS Config ecr-private-lifecycle-policy-configured',
    'Control Tower CT.ECR.PR.1',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html',
  ],
  scenarios: [
    {
      name: 'expire untagged images after 30 days',
      expect: 'pass',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          LifecyclePolicy: {
            LifecyclePolicyText: JSON.stringify({
              rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, action: { type: 'expire' } }],
            }),
          },
        },
      },
    },
    { name: 'no lifecycle policy', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: {} } },
    { name: 'lifecycle policy without text', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: { RegistryId: '111122223333' } } } },
    { name: 'lifecycle policy with no rules', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: { LifecyclePolicyText: '{"rules":[]}' } } } },
    { name: 'lifecycle policy that is not JSON', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: { LifecyclePolicyText: 'expire old' } } } },
    {
      name: 'lifecycle policy text from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: { LifecyclePolicyText: { Ref: 'LifecycleText' } } } },
    },
  ],
  evaluate(repository, ctx) {
    const base = 'Properties/LifecyclePolicy';
    const policy = repository.properties.LifecyclePolicy;
    if (!ctx.isPresent(policy, base)) return fail(base, 'the repository has no LifecyclePolicy, so every image is kept forever');
    const path = `${base}/LifecyclePolicyText`;
    const text = ctx.string(policy.LifecyclePolicyText, path);
    if (text === undefined || text.trim() === '') return fail(path, 'LifecyclePolicyText is not set, so every image is kept forever');
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(path, 'LifecyclePolicyText is not valid JSON, so ECR rejects the lifecycle policy');
    }
    if (!Array.isArray(parsed?.rules) || parsed.rules.length === 0) return fail(path, 'LifecyclePolicyText has no rules, so no image ever expires');
    return pass();
  },
});
