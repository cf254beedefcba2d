import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-ECR-003: image tags cannot be overwritten. */
export default defineRule({
  id: 'MLOPS-ECR-003',
  title: 'ECR repository has immutable image tags',
  resourceTypes: ['AWS::ECR::Repository'],
  severity: 'medium',
  themes: ['SUP'],
  acknowledgeable: true,
  rationale:
    'With mutable tags, pushing a new image under a released tag silently changes what an endpoint runs on its next ' +
    'scale-out or restart: the deployed model no longer matches the validated one (SR 11-7 implementation, EU AI Act ' +
    'Annex IV) and the change bypasses review. Immutable tags make a tag name one image, for good.',
  fix:
    'Set imageTagMutability: ecr.TagMutability.IMMUTABLE on ecr.Repository (ImageTagMutability: IMMUTABLE). ' +
    'IMMUTABLE_WITH_EXCLUSION passes when its exclusion filters (ImageTagMutabilityExclusionFilters) do not match ' +
    'every tag; keep them to non-release tags such as dev-*. Pin deployments by digest as well.',
  references: [
    'AWS Config ecr-private-tag-immutability-enabled',
    'Control Tower CT.ECR.PR.3',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
  ],
  scenarios: [
    { name: 'immutable', expect: 'pass', resource: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'IMMUTABLE' } } },
    {
      name: 'immutable except dev-* tags',
      expect: 'pass',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
          ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'dev-*' }],
        },
      },
    },
    { name: 'default (MUTABLE)', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: {} } },
    { name: 'MUTABLE', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'MUTABLE' } } },
    {
      name: 'mutable except release-* tags',
      expect: 'fail',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          ImageTagMutability: 'MUTABLE_WITH_EXCLUSION',
          ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'release-*' }],
        },
      },
    },
    {
      name: 'immutable with an exclusion matching every tag',
      expect: 'fail',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
          ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: '*' }],
        },
      },
    },
    { name: 'mutability from a parameter', expect: 'unresolvable', resource: { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: { Ref: 'TagMutability' } } } },
  ],
  evaluate(repository, ctx) {
    const path = 'Properties/ImageTagMutability';
    const mutability = ctx.string(repository.properties.ImageTagMutability, path);
    if (mutability === 'IMMUTABLE') return pass();
    if (mutability !== 'IMMUTABLE_WITH_EXCLUSION') {
      return fail(path, `ImageTagMutability is ${mutability ?? 'unset (MUTABLE)'}, so a released tag can be pointed at another image`);
    }
    const filtersPath = 'Properties/ImageTagMutabilityExclusionFilters';
    const filters = ctx.array(repository.properties.ImageTagMutabilityExclusionFilters, filtersPath) ?? [];
    const patterns = filters.map((f, i) => ctx.string(f?.ImageTagMutabilityExclusionFilterValue, `${filtersPath}/${i}/ImageTagMutabilityExclusionFilterValue`) ?? '');
    const everyTag = patterns.findIndex((p) => /^\*+$/.test(p));
    if (everyTag >= 0) {
      return fail(`${filtersPath}/${everyTag}/ImageTagMutabilityExclusionFilterValue`, `the exclusion filter ${patterns[everyTag]} makes every tag mutable`);
    }
    return pass(patterns.length > 0 ? `tags matching ${patterns.join(', ')} stay mutable` : undefined);
  },
});
