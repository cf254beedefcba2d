import { defineRule, fail, RuleOutcome } from '../../rule';
import { itemsAt, lookup } from './pod-spec';
import { passUnless } from './pss';

const MUTUAL = new Set(['ISTIO_MUTUAL', 'MUTUAL']);

const destinationRule = (spec: Record<string, any>, apiVersion = 'networking.istio.io/v1') => ({
  apiVersion,
  kind: 'DestinationRule',
  metadata: { name: 'model', namespace: 'serving' },
  spec: { host: 'model.serving.svc.cluster.local', ...spec },
});
const ISTIO_MUTUAL = { tls: { mode: 'ISTIO_MUTUAL' } };

/** MLOPS-K8S-009: DestinationRules send mutual TLS, at every level where TLS can be set. */
export default defineRule({
  id: 'MLOPS-K8S-009',
  title: 'Istio DestinationRule traffic uses mutual TLS (ISTIO_MUTUAL or MUTUAL)',
  resourceTypes: ['networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1beta1/DestinationRule', 'networking.istio.io/v1alpha3/DestinationRule'],
  severity: 'high',
  themes: ['TRN'],
  acknowledgeable: true,
  rationale:
    'A DestinationRule decides how client sidecars talk to a service. DISABLE sends plaintext and SIMPLE drops the ' +
    'client certificate, so the server cannot authenticate the caller; an unset mode falls back to auto mTLS, which ' +
    'sends plaintext to any endpoint without a sidecar. ISTIO_MUTUAL (or MUTUAL with your certificates) fails closed.',
  fix:
    'Set spec.trafficPolicy.tls.mode: ISTIO_MUTUAL, and use ISTIO_MUTUAL or MUTUAL wherever a subset (spec.subsets[*].trafficPolicy) ' +
    'or a port (trafficPolicy.portLevelSettings[*].tls) overrides it. A DestinationRule for an external TLS service outside the ' +
    'mesh (SIMPLE) takes an acknowledgment.',
  references: [
    'https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings-TLSmode',
    'https://istio.io/latest/docs/ops/best-practices/security/',
  ],
  scenarios: [
    { name: 'ISTIO_MUTUAL with canary subsets', expect: 'pass', resource: destinationRule({ trafficPolicy: ISTIO_MUTUAL, subsets: [{ name: 'stable', labels: { track: 'stable' } }, { name: 'canary', labels: { track: 'canary' } }] }) },
    { name: 'MUTUAL with client certificates (v1beta1)', expect: 'pass', resource: destinationRule({ trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client-cert' } } }, 'networking.istio.io/v1beta1') },
    { name: 'no trafficPolicy (auto mTLS only)', expect: 'fail', resource: destinationRule({}) },
    { name: 'DISABLE', expect: 'fail', resource: destinationRule({ trafficPolicy: { tls: { mode: 'DISABLE' } } }) },
    { name: 'subset overrides with SIMPLE', expect: 'fail', resource: destinationRule({ trafficPolicy: ISTIO_MUTUAL, subsets: [{ name: 'canary', labels: { track: 'canary' }, trafficPolicy: { tls: { mode: 'SIMPLE' } } }] }) },
    { name: 'port-level DISABLE', expect: 'fail', resource: destinationRule({ trafficPolicy: { ...ISTIO_MUTUAL, portLevelSettings: [{ port: { number: 9090 }, tls: { mode: 'DISABLE' } }] } }) },
    { name: 'mode from an unrendered Helm value', expect: 'unresolvable', resource: destinationRule({ trafficPolicy: { tls: '{{ .Values.tls }}' } }) },
  ],
  evaluate(rule, ctx) {
    const failures: RuleOutcome[] = [];
    // A traffic policy at `path`: its own tls mode (required at the top level) and each port-level override.
    const check = (policy: unknown, path: string, required: boolean, scope: string) => {
      const mode = lookup(ctx, policy, path, ['tls', 'mode']);
      const value = ctx.string(mode.value, mode.path);
      if (value === undefined ? required : !MUTUAL.has(value)) {
        failures.push(fail(mode.path, value === undefined ? `${scope} sets no tls.mode: clients fall back to auto mTLS, which sends plaintext to endpoints without a sidecar` : `${scope} uses tls.mode ${value}, not ISTIO_MUTUAL or MUTUAL`));
      }
      const ports = lookup(ctx, policy, path, ['portLevelSettings']);
      for (const port of itemsAt(ctx, ports.value, ports.path)) check(port.item, port.path, false, `${scope} port ${JSON.stringify(port.item?.port?.number ?? '?')}`);
    };
    check(lookup(ctx, rule.properties, '', ['spec', 'trafficPolicy']).value, 'spec/trafficPolicy', true, 'the DestinationRule');
    for (const subset of itemsAt(ctx, lookup(ctx, rule.properties, '', ['spec', 'subsets']).value, 'spec/subsets')) {
      const policy = lookup(ctx, subset.item, subset.path, ['trafficPolicy']);
      check(policy.value, policy.path, false, `subset ${subset.item?.name ?? subset.path}`);
    }
    return passUnless(failures);
  },
});
