import { defineRule, fail, RuleOutcome, unresolvable } from '../../rule';
import { isPinnedByDigest } from './images';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless } from './pss';
import { container, deployment, PINNED_IMAGE, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** An image as a template applies it: registry and repository known at deploy time, the digest literal. */
const DEPLOY_TIME_REGISTRY_IMAGE = { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, PINNED_IMAGE.slice(PINNED_IMAGE.indexOf('.dkr.ecr.'))]] };

/** MLOPS-K8S-002: every container image is pinned by digest. */
export default defineRule({
  id: 'MLOPS-K8S-002',
  title: 'Container images are pinned by digest',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['SUP'],
  acknowledgeable: true,
  rationale:
    'A tag can be moved to other content at any time, so the model server that runs is not necessarily the one that ' +
    'was scanned, validated and approved. A digest names the exact image content; it is the evidence that production ' +
    'runs the validated artifact (SR 11-7 implementation, PCI DSS 6.3.2 inventory).',
  fix:
    'Reference images as <repository>@sha256:<digest> (a tag may precede the digest). In cdk8s-plus-27 pass the digest reference ' +
    'as ContainerProps.image (for example from an ECR image asset\'s imageUri with the digest resolved in the pipeline); the ' +
    'Kubernetes field is spec.template.spec.containers[*].image (also initContainers and ephemeralContainers).',
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
  ],
  scenarios: [
    { name: 'digest reference', expect: 'pass', resource: deployment() },
    { name: 'tag and digest', expect: 'pass', resource: deployment(podSpec({ containers: [container({ image: PINNED_IMAGE.replace('@', ':1.4.2@') })] })) },
    { name: 'version tag only', expect: 'fail', resource: deployment(podSpec({ containers: [container({ image: 'registry.example.com/models/churn:1.4.2' })] })) },
    { name: 'short digest on the init container', expect: 'fail', resource: deployment(podSpec({ initContainers: [container({ name: 'init', image: 'busybox@sha256:abc123' })] })) },
    { name: 'image that is an object', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ image: { repository: 'churn', tag: '1.4.2' } })] })) },
    { name: 'registry known at deploy time, literal digest (EKS manifest)', expect: 'pass', resource: deployment(podSpec({ containers: [container({ image: DEPLOY_TIME_REGISTRY_IMAGE })] })) },
    { name: 'image ending in a deploy-time value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ image: { 'Fn::Join': ['', ['registry.example.com/models/churn:', { Ref: 'ImageTag' }]] } })] })) },
    { name: 'Rollout with workloadRef (the Deployment is checked)', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        const image = lookup(ctx, c.container, c.path, ['image']);
        // Only the end matters: a registry known at deploy time (an account token) does not unpin a literal digest.
        const end = ctx.stringEnd(image.value, image.path);
        if (end === undefined) failures.push(fail(image.path, `${describeContainer(c)} has no image`));
        else if (isPinnedByDigest(end.text)) continue;
        else if (!end.complete) failures.push(unresolvable(image.path, `${describeContainer(c)} image does not end in a literal @sha256:<64 hex> and part of it is known only at deploy time, so whether it is pinned by digest cannot be told`));
        else failures.push(fail(image.path, `${describeContainer(c)} image ${end.text} is not pinned by digest (@sha256:<64 hex>)`));
      }
      return passUnless(failures);
    }),
});
