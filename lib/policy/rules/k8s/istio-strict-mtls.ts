import type { EvaluationContext } from '../../context';
import type { RenderedResource } from '../../document';
import { defineRule, fail, notApplicable, pass, RuleOutcome } from '../../rule';
import { MESH, nameOf, namespaceOf, PEER_AUTHENTICATION_TYPES } from './namespaces';
import { lookup, objectAt } from './pod-spec';
import { passUnless } from './pss';
import { deployment, namespace } from './scenario-objects';

/** The root namespace of a default Istio install, where a PeerAuthentication named `default` applies mesh-wide. */
const ROOT_NAMESPACE = 'istio-system';
const WEAK_MODES = new Set(['PERMISSIVE', 'DISABLE']);
const MODES = new Set(['UNSET', 'STRICT', ...WEAK_MODES]);

const peerAuthentication = (ns: string, name: string, spec: Record<string, any>) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec,
});
const MESH_STRICT = peerAuthentication(ROOT_NAMESPACE, 'default', { mtls: { mode: 'STRICT' } });
const VIRTUAL_SERVICE = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'model', namespace: 'serving' }, spec: { hosts: ['model'] } };

/** The mTLS mode a PeerAuthentication sets for its scope ('UNSET' when it inherits). */
function modeOf(pa: RenderedResource, ctx: EvaluationContext): string {
  const mode = lookup(ctx, pa.properties, '', ['spec', 'mtls', 'mode']);
  return ctx.string(mode.value, mode.path) ?? 'UNSET';
}

/** A PeerAuthentication without a workload selector applies to its whole namespace. */
function isNamespaceWide(pa: RenderedResource, ctx: EvaluationContext): boolean {
  const labels = objectAt(ctx, lookup(ctx, pa.properties, '', ['spec', 'selector', 'matchLabels']).value, 'spec/selector/matchLabels');
  return labels === undefined || Object.keys(labels).length === 0;
}

/** Whether the namespace's pods accept only mTLS: its own namespace-wide policy, else the mesh-wide default. */
function coverage(name: string, ctx: EvaluationContext): RuleOutcome {
  const { peerAuthentications } = ctx.index(MESH);
  const own = (peerAuthentications.get(name) ?? []).filter((pa) => isNamespaceWide(pa, ctx));
  const ownModes = own.map((pa) => ({ pa, mode: modeOf(pa, ctx) })).filter(({ mode }) => mode !== 'UNSET');
  const weak = ownModes.find(({ mode }) => mode !== 'STRICT');
  if (weak) return fail('', `PeerAuthentication ${nameOf(weak.pa)} sets mtls.mode ${weak.mode} for all of namespace ${name}`);
  if (ownModes.length > 0) return pass(`PeerAuthentication ${nameOf(ownModes[0].pa)} sets STRICT for the namespace`);
  const meshWide = (peerAuthentications.get(ROOT_NAMESPACE) ?? []).find((pa) => nameOf(pa) === 'default' && isNamespaceWide(pa, ctx));
  const meshMode = meshWide ? modeOf(meshWide, ctx) : undefined;
  if (meshMode === 'STRICT') return pass(`the mesh-wide PeerAuthentication ${ROOT_NAMESPACE}/default sets STRICT`);
  return fail(
    '',
    `no PeerAuthentication makes namespace ${name} STRICT (none without a selector in the namespace, and ` +
      `${meshWide ? `${ROOT_NAMESPACE}/default sets ${meshMode}` : `no ${ROOT_NAMESPACE}/default`}): its sidecars accept plaintext`,
  );
}

/** MLOPS-K8S-006: in a mesh, every workload namespace requires mTLS and no PeerAuthentication weakens it. */
export default defineRule({
  id: 'MLOPS-K8S-006',
  title: 'Istio mTLS is STRICT for every workload namespace, and no PeerAuthentication is PERMISSIVE or DISABLE',
  resourceTypes: ['v1/Namespace', ...PEER_AUTHENTICATION_TYPES],
  severity: 'high',
  themes: ['TRN'],
  acknowledgeable: true,
  rationale:
    'Istio sidecars accept plaintext (PERMISSIVE) until a PeerAuthentication says STRICT, so inference requests and ' +
    'responses carrying regulated data can cross the cluster network unencrypted and unauthenticated. STRICT makes ' +
    'every in-mesh hop mutually authenticated TLS, which AuthorizationPolicies then rely on for caller identity.',
  fix:
    `Add a PeerAuthentication named default in ${ROOT_NAMESPACE} (mesh-wide) or one without selector in each workload namespace, ` +
    'with spec.mtls.mode: STRICT (security.istio.io/v1; in cdk8s an ApiObject or the imported Istio class), and remove ' +
    'PERMISSIVE and DISABLE from spec.mtls.mode and spec.portLevelMtls. Scrape metrics through Istio metrics merging instead of a ' +
    'plaintext port.',
  references: [
    'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
    'https://istio.io/latest/docs/ops/best-practices/security/#mutual-tls',
  ],
  scenarios: [
    { name: 'mesh-wide STRICT covers the namespace', expect: 'pass', resource: namespace('serving'), others: [deployment(), VIRTUAL_SERVICE, MESH_STRICT] },
    { name: 'namespace-wide STRICT', expect: 'pass', resource: namespace('serving'), others: [deployment(), peerAuthentication('serving', 'default', { mtls: { mode: 'STRICT' } })] },
    { name: 'STRICT PeerAuthentication', expect: 'pass', resource: MESH_STRICT },
    { name: 'no Istio objects in the document', expect: 'not-applicable', resource: namespace('serving'), others: [deployment()] },
    { name: 'namespace without workloads', expect: 'not-applicable', resource: namespace('monitoring'), others: [deployment(), VIRTUAL_SERVICE] },
    { name: 'Istio objects but no PeerAuthentication', expect: 'fail', resource: namespace('serving'), others: [deployment(), VIRTUAL_SERVICE] },
    { name: 'namespace PERMISSIVE overrides mesh STRICT', expect: 'fail', resource: namespace('serving'), others: [deployment(), MESH_STRICT, peerAuthentication('serving', 'default', { mtls: { mode: 'PERMISSIVE' } })] },
    { name: 'PERMISSIVE PeerAuthentication', expect: 'fail', resource: peerAuthentication('serving', 'legacy', { selector: { matchLabels: { app: 'model' } }, mtls: { mode: 'PERMISSIVE' } }) },
    { name: 'port-level DISABLE (v1beta1)', expect: 'fail', resource: { ...peerAuthentication('serving', 'metrics', { mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'DISABLE' } } }), apiVersion: 'security.istio.io/v1beta1' } },
    { name: 'mode that is an object, not a string', expect: 'unresolvable', resource: peerAuthentication('serving', 'default', { mtls: { mode: { value: 'STRICT' } } }) },
  ],
  evaluate(resource, ctx) {
    if (PEER_AUTHENTICATION_TYPES.includes(resource.type)) {
      const ns = namespaceOf(resource);
      const scope = !isNamespaceWide(resource, ctx)
        ? `the selected workloads of namespace ${ns}`
        : ns === ROOT_NAMESPACE && nameOf(resource) === 'default' ? 'every workload of the mesh' : `every workload of namespace ${ns}`;
      const failures: RuleOutcome[] = [];
      const check = (path: string) => {
        const mode = ctx.string(lookup(ctx, resource.properties, '', path.split('/')).value, path) ?? 'UNSET';
        if (!MODES.has(mode)) failures.push(fail(path, `mtls mode ${mode} is not an Istio mode (STRICT, PERMISSIVE, DISABLE, UNSET)`));
        else if (WEAK_MODES.has(mode)) failures.push(fail(path, `mtls mode ${mode} lets ${scope} accept plaintext`));
      };
      check('spec/mtls/mode');
      const ports = objectAt(ctx, lookup(ctx, resource.properties, '', ['spec', 'portLevelMtls']).value, 'spec/portLevelMtls') ?? {};
      for (const port of Object.keys(ports)) check(`spec/portLevelMtls/${port}/mode`);
      return passUnless(failures);
    }
    const { istio, workloadNamespaces } = ctx.index(MESH);
    if (!istio) return notApplicable('the document has no Istio objects: mesh mTLS is not in use here');
    const name = nameOf(resource);
    if (!workloadNamespaces.has(name)) return notApplicable(`namespace ${name} holds no workloads in this document`);
    return coverage(name, ctx);
  },
});
