import { defineRule, fail, RuleOutcome, unresolvable } from '../../rule';
import { imageTag, isPinnedByDigest } from './images';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless } from './pss';
import { container, deployment, PINNED_IMAGE, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-K8S-003: no image uses the latest tag or no tag at all (which means latest), unless it is pinned by digest. */
export default defineRule({
  id: 'MLOPS-K8S-003',
  title: 'No container image uses the latest tag or no tag',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['SUP'],
  acknowledgeable: true,
  rationale:
    'latest (and an untagged reference, which means latest) changes with every push: two replicas of the same ' +
    'Deployment can run different code, a rollback redeploys the new image, and no record says which model server ' +
    'served a given prediction. A digest pins the content whatever the tag says.',
  fix:
    'Reference a version tag, or better a digest (MLOPS-K8S-002). In cdk8s-plus-27 set ContainerProps.image to ' +
    '<repository>:<version> or <repository>@sha256:<digest>; the Kubernetes field is spec.template.spec.containers[*].image.',
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names', 'https://kubernetes.io/docs/concepts/configuration/overview/#container-images'],
  scenarios: [
    { name: 'version tag', expect: 'pass', resource: deployment(podSpec({ containers: [container({ image: 'registry.example.com:5000/models/churn:1.4.2' })] })) },
    { name: 'latest tag pinned by digest', expect: 'pass', resource: deployment(podSpec({ containers: [container({ image: PINNED_IMAGE.replace('@', ':latest@') })] })) },
    { name: 'latest tag', expect: 'fail', resource: deployment(podSpec({ containers: [container({ image: 'registry.example.com/models/churn:latest' })] })) },
    { name: 'untagged image behind a registry port', expect: 'fail', resource: deployment(podSpec({ initContainers: [container({ name: 'init', image: 'registry.example.com:5000/tools/fetch' })] })) },
    { name: 'image that is a list', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ image: ['churn', '1.4.2'] })] })) },
    { name: 'registry known at deploy time, literal digest (EKS manifest)', expect: 'pass', resource: deployment(podSpec({ containers: [container({ image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, PINNED_IMAGE.slice(PINNED_IMAGE.indexOf('.dkr.ecr.'))]] } })] })) },
    { name: 'registry known at deploy time, literal latest tag', expect: 'fail', resource: deployment(podSpec({ containers: [container({ image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.eu-west-1.amazonaws.com/models/churn:latest']] } })] })) },
    { name: 'repository known at deploy time, no literal tag', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ image: { 'Fn::Join': ['', ['registry.example.com/models/', { Ref: 'Repository' }]] } })] })) },
    { name: 'Rollout with workloadRef (the Deployment is checked)', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        const image = lookup(ctx, c.container, c.path, ['image']);
        // The end of the reference decides: a registry known at deploy time (an account token) hides neither digest nor tag.
        const end = ctx.stringEnd(image.value, image.path);
        if (end === undefined) {
          failures.push(fail(image.path, `${describeContainer(c)} has no image`));
          continue;
        }
        if (isPinnedByDigest(end.text)) continue;
        // The tag is in the last path component: known when a '/' or ':' of it is in the literal end.
        if (!end.complete && !/[/:]/.test(end.text.split('@')[0])) {
          failures.push(unresolvable(image.path, `the last path component of ${describeContainer(c)}'s image is known only at deploy time, so its tag cannot be told`));
          continue;
        }
        const value = end.complete ? end.text : `<deploy-time>${end.text}`;
        const tag = imageTag(value);
        if (tag === undefined) failures.push(fail(image.path, `${describeContainer(c)} image ${value} has no tag, so it pulls latest`));
        else if (tag === 'latest') failures.push(fail(image.path, `${describeContainer(c)} image ${value} uses the mutable latest tag`));
      }
      return passUnless(failures);
    }),
});
