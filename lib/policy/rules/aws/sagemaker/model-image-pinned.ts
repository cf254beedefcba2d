import type { EvaluationContext } from '../../../context';
import { isPlainObject } from '../../../document';
import { defineRule, fail, pass, RuleOutcome, unresolvable } from '../../../rule';

/**
 * The CloudFormation type of the regulated-mlops approved-model resolver (`ApprovedModel`): a custom resource that
 * resolves the newest Approved package version at deploy time and returns its image by digest.
 */
export const APPROVED_MODEL_RESOURCE_TYPE = 'Custom::RegulatedMlopsApprovedModel';

const DIGEST_AT_END = /@sha256:[0-9a-f]{64}$/;
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const REPO = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud';
const model = (container: Record<string, any>, key = 'PrimaryContainer') => ({
  Type: 'AWS::SageMaker::Model',
  Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/model', [key]: key === 'Containers' ? [container] : container },
});

type Verdict = { pinned: true; note?: string } | { pinned: false; message: string } | { pinned: 'unknown'; message: string };

/** Whether an Image value names an image by digest. */
function imageVerdict(image: unknown, path: string, ctx: EvaluationContext): Verdict {
  if (typeof image === 'string') {
    return DIGEST_AT_END.test(image) ? { pinned: true } : { pinned: false, message: `Image ${image} is referenced by tag, not by digest: the tag can be moved to another image` };
  }
  if (isPlainObject(image) && Array.isArray(image['Fn::Join']?.[1])) {
    // The URI of CDK's repositoryUriForDigest: registry parts (intrinsics) joined with a literal `@sha256:...` at the end.
    const parts = image['Fn::Join'][1] as unknown[];
    const last = parts[parts.length - 1];
    if (typeof last === 'string') {
      return DIGEST_AT_END.test(last)
        ? { pinned: true }
        : { pinned: false, message: `Image ends in '${last}', not in @sha256:<digest>: the image is referenced by tag` };
    }
    return { pinned: 'unknown', message: 'Image ends in a value known only at deploy time, so whether it is a digest cannot be told' };
  }
  if (isPlainObject(image) && typeof image['Fn::Sub'] === 'string') {
    const text = image['Fn::Sub'] as string;
    return DIGEST_AT_END.test(text) ? { pinned: true } : { pinned: 'unknown', message: `Image is Fn::Sub '${text}', which does not end in a literal digest` };
  }
  // The resolver may sit in another stack of the app (a serving stack spilling endpoints into more stacks).
  const located = ctx.locate(image);
  if (located) {
    const { logicalId, type } = located.resource;
    const where = located.document === ctx.document ? logicalId : `${located.document.stack ?? located.document.source}/${logicalId}`;
    if (type === APPROVED_MODEL_RESOURCE_TYPE) {
      return { pinned: true, note: `the image comes from ${where}, the approved-model resolver, which returns it by digest` };
    }
    return { pinned: 'unknown', message: `Image comes from ${where} (${type}), which is not known to return an image by digest` };
  }
  ctx.string(image, path);
  return { pinned: 'unknown', message: 'Image cannot be resolved at synth' };
}

/** MLOPS-SM-023: models run images pinned by digest (or a versioned model package). */
export default defineRule({
  id: 'MLOPS-SM-023',
  title: 'SageMaker model containers use an image pinned by digest or a model package',
  resourceTypes: ['AWS::SageMaker::Model'],
  severity: 'high',
  themes: ['SUP'],
  acknowledgeable: true,
  rationale:
    'A tag (`:latest`, `:v3`) can be pushed over; SageMaker resolves it whenever an instance starts, so a scale-out, ' +
    'a host replacement or a rollback can run different code than the model that was validated and approved. A digest ' +
    'names exactly one image, so what runs is what was reviewed (SR 11-7: implementation matches the validated model; ' +
    'NIST SI-7, SR-4). A versioned model package pins image and artifacts through the registry.',
  fix:
    'Use the regulated-mlops ModelEndpoint (ModelSource.fromImage with a digest, or ModelSource.fromApprovedModel), or ' +
    'set the container image to repository.repositoryUriForDigest(digest) (<registry>/<repo>@sha256:<digest>) or ' +
    'modelPackageName to a versioned model package ARN on CfnModel (CloudFormation AWS::SageMaker::Model ' +
    'PrimaryContainer.Image / Containers[].Image, or ModelPackageName).',
  references: [
    'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-pull-ecr-image.html',
  ],
  scenarios: [
    { name: 'literal image by digest', expect: 'pass', resource: model({ Image: `${REPO}@${DIGEST}` }) },
    {
      name: 'CDK repositoryUriForDigest (Fn::Join ending in the digest)',
      expect: 'pass',
      resource: model({ Image: { 'Fn::Join': ['', [{ 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Repo', 'Arn'] }] }] }, '.dkr.ecr.', { Ref: 'Repo' }, `@${DIGEST}`]] } }),
      others: { Repo: { Type: 'AWS::ECR::Repository', Properties: {} } },
    },
    {
      name: 'image from the approved-model resolver',
      expect: 'pass',
      resource: model({ Image: { 'Fn::GetAtt': ['Approved', 'ImageUri'] }, ModelDataUrl: { 'Fn::GetAtt': ['Approved', 'ModelDataUrl'] } }),
      others: { Approved: { Type: APPROVED_MODEL_RESOURCE_TYPE, Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:resolver' } } },
    },
    {
      name: 'versioned model package',
      expect: 'pass',
      resource: model({ ModelPackageName: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/12' }, 'Containers'),
    },
    { name: 'image by tag', expect: 'fail', resource: model({ Image: `${REPO}:latest` }) },
    { name: 'Fn::Join ending in a tag', expect: 'fail', resource: model({ Image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.eu-west-1.amazonaws.com/fraud:v3']] } }) },
    { name: 'container without image or package', expect: 'fail', resource: model({ ModelDataUrl: 's3://models/fraud.tar.gz' }) },
    {
      name: 'image from another custom resource',
      expect: 'unresolvable',
      resource: model({ Image: { 'Fn::GetAtt': ['Lookup', 'Image'] } }),
      others: { Lookup: { Type: 'Custom::ImageLookup', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:lookup' } } },
    },
    { name: 'image from a parameter', expect: 'unresolvable', resource: model({ Image: { Ref: 'ImageUri' } }) },
  ],
  evaluate(resource, ctx) {
    const p = resource.properties;
    const containers: [string, any][] = [];
    const primary = ctx.literal(p.PrimaryContainer, 'Properties/PrimaryContainer');
    if (primary !== undefined) containers.push(['Properties/PrimaryContainer', primary]);
    (ctx.array(p.Containers, 'Properties/Containers') ?? []).forEach((c, i) => {
      containers.push([`Properties/Containers/${i}`, ctx.literal(c, `Properties/Containers/${i}`) ?? {}]);
    });
    if (containers.length === 0) return fail('Properties/PrimaryContainer', 'the model declares neither PrimaryContainer nor Containers');

    const outcomes: RuleOutcome[] = [];
    const notes: string[] = [];
    for (const [path, container] of containers) {
      if (ctx.isPresent(container.ModelPackageName, `${path}/ModelPackageName`)) continue;
      if (!ctx.isPresent(container.Image, `${path}/Image`)) {
        outcomes.push(fail(path, 'the container has neither Image nor ModelPackageName'));
        continue;
      }
      const verdict = imageVerdict(container.Image, `${path}/Image`, ctx);
      if (verdict.pinned === true) {
        if (verdict.note) notes.push(verdict.note);
      } else if (verdict.pinned === false) {
        outcomes.push(fail(`${path}/Image`, verdict.message));
      } else {
        outcomes.push(unresolvable(`${path}/Image`, verdict.message));
      }
    }
    if (outcomes.length > 0) return outcomes;
    return pass(notes.length > 0 ? notes.join('; ') : undefined);
  },
});
