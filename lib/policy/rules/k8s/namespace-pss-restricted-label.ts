import { defineRule, fail, pass } from '../../rule';
import { lookup } from './pod-spec';
import { PSS_DOCUMENTATION } from './pss';
import { namespace } from './scenario-objects';

const LABEL = 'pod-security.kubernetes.io/enforce';

/** MLOPS-K8S-005: the API server enforces the restricted Pod Security Standard in every namespace. */
export default defineRule({
  id: 'MLOPS-K8S-005',
  title: 'Every namespace enforces the restricted Pod Security Standard',
  resourceTypes: ['v1/Namespace'],
  severity: 'high',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'The PSS rules check the manifests this library renders; the namespace label makes the API server enforce the ' +
    'same profile on everything else that lands there (kubectl run, Helm charts, operators, a compromised CI job). ' +
    'Without it, or with baseline or privileged, nothing stops a privileged pod in a namespace serving regulated models.',
  fix:
    `Label the namespace ${LABEL}: restricted (and pin ${LABEL}-version to the cluster's minor version). cdk8s-plus-27: ` +
    `new kplus.Namespace(chart, "Ns", {metadata: {labels: {"${LABEL}": "restricted"}}}); Kubernetes field metadata.labels. ` +
    'A node-daemon namespace that must be privileged (NVIDIA device plugin, DCGM exporter) takes an acknowledgment.',
  references: [PSS_DOCUMENTATION, 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces'],
  scenarios: [
    { name: 'enforce restricted', expect: 'pass', resource: namespace('serving', { [LABEL]: 'restricted', [`${LABEL}-version`]: 'v1.34' }) },
    { name: 'no label (the cluster default, usually privileged)', expect: 'fail', resource: namespace('serving') },
    { name: 'warn restricted but enforce baseline', expect: 'fail', resource: namespace('serving', { [LABEL]: 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }) },
    { name: 'privileged node-daemon namespace', expect: 'fail', resource: namespace('gpu-operator', { [LABEL]: 'privileged' }) },
    { name: 'labels from an unrendered Helm value', expect: 'unresolvable', resource: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'serving', labels: '{{ .Values.labels }}' } } },
  ],
  evaluate(ns, ctx) {
    const label = lookup(ctx, ns.properties, '', ['metadata', 'labels', LABEL]);
    const level = ctx.string(label.value, label.path);
    if (level === 'restricted') return pass();
    return fail(
      label.path,
      level === undefined
        ? `the namespace has no ${LABEL} label: the cluster default applies (privileged unless the admission configuration says otherwise)`
        : `${LABEL} is ${level}, not restricted`,
    );
  },
});
