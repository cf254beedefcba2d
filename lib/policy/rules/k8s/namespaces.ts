import type { DocumentIndex } from '../../context';
import type { RenderedResource } from '../../document';
import { WORKLOAD_TYPES } from './pod-spec';

/**
 * The namespace an object is applied to. An object without one lands in the namespace kubectl or the GitOps
 * controller targets, usually `default`: that is what it is counted under.
 */
export function namespaceOf(resource: RenderedResource): string {
  const namespace = resource.properties.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
}

/** The name of an object (`metadata.name`), or its logical id when it has none. */
export function nameOf(resource: RenderedResource): string {
  const name = resource.properties.metadata?.name;
  return typeof name === 'string' ? name : resource.logicalId;
}

function groupByNamespace(resources: readonly RenderedResource[]): Map<string, RenderedResource[]> {
  const map = new Map<string, RenderedResource[]>();
  for (const resource of resources) {
    const namespace = namespaceOf(resource);
    map.set(namespace, [...(map.get(namespace) ?? []), resource]);
  }
  return map;
}

/** Namespace → the `networking.k8s.io/v1` NetworkPolicies in it, built once per document. */
export const NETWORK_POLICIES: DocumentIndex<ReadonlyMap<string, readonly RenderedResource[]>> = {
  id: 'k8s/network-policies-by-namespace',
  build: (ctx) => groupByNamespace(ctx.resourcesOfType('networking.k8s.io/v1/NetworkPolicy')),
};

/** The PeerAuthentication API versions the rules read. */
export const PEER_AUTHENTICATION_TYPES: readonly string[] = ['security.istio.io/v1/PeerAuthentication', 'security.istio.io/v1beta1/PeerAuthentication'];

/** What the mesh rules need to know about a document. */
export interface MeshFacts {
  /** Whether any `networking.istio.io` or `security.istio.io` object is present: the workloads are meant to be in a mesh. */
  readonly istio: boolean;
  /** Namespaces holding at least one workload (an object with a pod template). */
  readonly workloadNamespaces: ReadonlySet<string>;
  /** Namespace → its PeerAuthentications. */
  readonly peerAuthentications: ReadonlyMap<string, readonly RenderedResource[]>;
}

/** The mesh facts of a document, built once per document. */
export const MESH: DocumentIndex<MeshFacts> = {
  id: 'k8s/mesh',
  build(ctx) {
    const istio = ctx.document.resources.some((r) => r.type.startsWith('networking.istio.io/') || r.type.startsWith('security.istio.io/'));
    const workloadNamespaces = new Set(WORKLOAD_TYPES.flatMap((type) => ctx.resourcesOfType(type).map(namespaceOf)));
    const peerAuthentications = groupByNamespace(PEER_AUTHENTICATION_TYPES.flatMap((type) => ctx.resourcesOfType(type)));
    return { istio, workloadNamespaces, peerAuthentications };
  },
};
