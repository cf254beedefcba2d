import { EvaluationContext, Unresolvable } from '../../context';
import type { RenderedResource } from '../../document';
import { defineRule, fail, pass, unresolvable } from '../../rule';
import { nameOf, NETWORK_POLICIES } from './namespaces';
import { itemsAt, lookup, objectAt } from './pod-spec';
import { namespace } from './scenario-objects';

const policy = (namespaceName: string, spec: Record<string, any>, name = 'default-deny') => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: namespaceName },
  spec,
});
const DENY_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };

/** Why a NetworkPolicy is not a default-deny of both directions for every pod, or undefined when it is. */
function shortfall(np: RenderedResource, ctx: EvaluationContext): string | undefined {
  const selector = objectAt(ctx, lookup(ctx, np.properties, '', ['spec', 'podSelector']).value, 'spec/podSelector') ?? {};
  const labels = objectAt(ctx, selector.matchLabels, 'spec/podSelector/matchLabels') ?? {};
  if (Object.keys(labels).length > 0 || itemsAt(ctx, selector.matchExpressions, 'spec/podSelector/matchExpressions').length > 0) {
    return 'selects only some pods (its podSelector is not {})';
  }
  const rules = (direction: string) => itemsAt(ctx, lookup(ctx, np.properties, '', ['spec', direction]).value, `spec/${direction}`);
  const declared = lookup(ctx, np.properties, '', ['spec', 'policyTypes']);
  // Without policyTypes Kubernetes infers Ingress, plus Egress only when the policy has egress rules.
  const types = ctx.isAbsent(declared.value)
    ? ['Ingress', ...(rules('egress').length > 0 ? ['Egress'] : [])]
    : itemsAt(ctx, declared.value, declared.path).map(({ item, path }) => ctx.string(item, path));
  const missing = ['Ingress', 'Egress'].filter((t) => !types.includes(t));
  if (missing.length > 0) return `does not apply to ${missing.join(' and ')} (policyTypes ${types.join(', ') || 'empty'})`;
  const allowing = ['ingress', 'egress'].filter((d) => rules(d).length > 0);
  if (allowing.length > 0) return `has ${allowing.join(' and ')} rules, so it allows traffic rather than denying all of it`;
  return undefined;
}

/** MLOPS-K8S-004: every namespace has a NetworkPolicy denying all ingress and egress by default. */
export default defineRule({
  id: 'MLOPS-K8S-004',
  title: 'Every namespace has a default-deny NetworkPolicy for ingress and egress',
  resourceTypes: ['v1/Namespace'],
  severity: 'high',
  themes: ['NET'],
  acknowledgeable: true,
  rationale:
    'Kubernetes lets every pod talk to every other pod and to the internet until a NetworkPolicy selects it. A ' +
    'namespace-wide default deny (podSelector {}, policyTypes Ingress and Egress, no rules) makes every allowed flow ' +
    'an explicit, reviewable policy, and stops a compromised pod from reaching model stores or exfiltrating data.',
  fix:
    'Add to each namespace a networking.k8s.io/v1 NetworkPolicy with spec {podSelector: {}, policyTypes: [Ingress, Egress]} and ' +
    'no ingress or egress rules, then one allow policy per needed flow (DNS to kube-system, the mesh, the model store). ' +
    'cdk8s-plus-27: new kplus.NetworkPolicy(chart, "DefaultDeny", {metadata: {namespace}, selector: kplus.Pods.all(chart, "All"), ' +
    'ingress: {default: NetworkPolicyTrafficDefault.DENY}, egress: {default: NetworkPolicyTrafficDefault.DENY}}).',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    'NIST SP 800-53 SC-7(5) deny by default',
  ],
  scenarios: [
    { name: 'default deny in the namespace', expect: 'pass', resource: namespace('serving'), others: [policy('serving', DENY_ALL)] },
    { name: 'no NetworkPolicy at all', expect: 'fail', resource: namespace('serving') },
    { name: 'deny-all in another namespace only', expect: 'fail', resource: namespace('serving'), others: [policy('monitoring', DENY_ALL)] },
    { name: 'ingress-only default deny', expect: 'fail', resource: namespace('serving'), others: [policy('serving', { podSelector: {} })] },
    { name: 'policyTypes from an unrendered Helm value', expect: 'unresolvable', resource: namespace('serving'), others: [policy('serving', { podSelector: {}, policyTypes: '{{ .Values.types }}' })] },
  ],
  evaluate(ns, ctx) {
    const name = nameOf(ns);
    const policies = ctx.index(NETWORK_POLICIES).get(name) ?? [];
    const problems: string[] = [];
    const unknown: string[] = [];
    for (const np of policies) {
      try {
        const missing = shortfall(np, ctx);
        if (missing === undefined) return pass(`NetworkPolicy ${nameOf(np)} denies all ingress and egress by default`);
        problems.push(`NetworkPolicy ${nameOf(np)} ${missing}`);
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        unknown.push(`NetworkPolicy ${nameOf(np)}: ${e.message}`);
      }
    }
    // The namespace has no field to point at: the finding is on the object (path '').
    if (unknown.length > 0) return unresolvable('', `no NetworkPolicy is known to deny all traffic in namespace ${name}: ${[...unknown, ...problems].join('; ')}`);
    if (problems.length > 0) return fail('', `no default-deny NetworkPolicy in namespace ${name}: ${problems.join('; ')}`);
    return fail('', `namespace ${name} has no NetworkPolicy: every pod in it accepts and opens any connection`);
  },
});
