import { KUBERNETES_MANIFEST_TYPE, manifestObjects } from './eks-manifests';

/**
 * The rendered output the rules read: a CloudFormation template or a set of Kubernetes objects, reduced to
 * one shape (resources with a logical id, a type and properties) so one engine serves both.
 */

/** What kind of output a document came from. */
export type DocumentKind = 'cloudformation' | 'kubernetes';

/** One rendered resource: a CloudFormation resource or a Kubernetes object. */
export interface RenderedResource {
  /**
   * CloudFormation logical id, or `Kind/namespace/name` for a Kubernetes object (prefixed with the logical id of
   * the custom resource that applies it, `ClusterChartA1B2C3D4/Rollout/serving/model`, when a template applies it).
   */
  readonly logicalId: string;
  /** `AWS::S3::Bucket`, or `apiVersion/Kind` (`apps/v1/Deployment`, `v1/Service`) for Kubernetes. */
  readonly type: string;
  /** CloudFormation `Properties` (empty object when absent), or the whole Kubernetes object. */
  readonly properties: Record<string, any>;
  /** CloudFormation `Metadata`, or the Kubernetes object's annotations. */
  readonly metadata: Record<string, any>;
  /**
   * The construct path, when known (`aws:cdk:path` metadata, the CDK tree, or the cdk8s chart). For an object a
   * template applies: the custom resource's path followed by the object's `Kind/namespace/name`.
   */
  readonly constructPath?: string;
  /** For a Kubernetes object a template applies: the custom resource that applies it (its acknowledgments cover the object). */
  readonly appliedBy?: RenderedResource;
  /**
   * Set on a custom resource whose Kubernetes objects cannot be read (a `Manifest` that is not JSON): why. The
   * engine then reports every Kubernetes rule as "could not evaluate" on it.
   */
  readonly unreadable?: string;
}

/** A template or manifest set, with the resources in source order and an index by logical id. */
export interface RenderedDocument {
  readonly kind: DocumentKind;
  /** Where it came from: a template path, a stack path, a manifest file. */
  readonly source: string;
  /** For CloudFormation: the stack's construct path or name. */
  readonly stack?: string;
  readonly resources: readonly RenderedResource[];
  readonly byLogicalId: ReadonlyMap<string, RenderedResource>;
  /** CloudFormation `Parameters` (a Ref to one cannot be resolved at synth: it may be overridden at deploy). */
  readonly parameters: Readonly<Record<string, any>>;
  /** CloudFormation `Outputs` (cross-stack references resolve through their `Export.Name`). */
  readonly outputs: Readonly<Record<string, any>>;
  /**
   * The Kubernetes objects a template applies to EKS clusters (`Custom::AWSCDK-EKS-KubernetesResource` manifests):
   * one kubernetes document per cluster, so rules that look across objects (the NetworkPolicies of a namespace)
   * see what that cluster receives. The engine evaluates them with the template.
   */
  readonly appliedManifests?: readonly RenderedDocument[];
}

/** Options for reading a CloudFormation template. */
export interface TemplateDocumentOptions {
  readonly source: string;
  readonly stack?: string;
  /** Construct path by logical id, for templates synthesized without `aws:cdk:path` metadata. */
  readonly constructPathOf?: (logicalId: string) => string | undefined;
}

/** Reads a parsed CloudFormation template. Throws when it is not one. */
export function templateDocument(template: any, options: TemplateDocumentOptions): RenderedDocument {
  if (!isPlainObject(template) || !isPlainObject(template.Resources)) {
    throw new Error(`${options.source} is not a CloudFormation template: it has no "Resources" object`);
  }
  const resources: RenderedResource[] = [];
  for (const [logicalId, raw] of Object.entries<any>(template.Resources)) {
    if (!isPlainObject(raw) || typeof raw.Type !== 'string') {
      throw new Error(`${options.source}: resource ${logicalId} has no "Type"`);
    }
    const metadata = isPlainObject(raw.Metadata) ? raw.Metadata : {};
    resources.push({
      logicalId,
      type: raw.Type,
      properties: isPlainObject(raw.Properties) ? raw.Properties : {},
      metadata,
      constructPath: typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : options.constructPathOf?.(logicalId),
    });
  }
  const appliedManifests = appliedManifestDocuments(resources, options);
  return {
    kind: 'cloudformation',
    source: options.source,
    stack: options.stack,
    resources,
    byLogicalId: new Map(resources.map((r) => [r.logicalId, r])),
    parameters: isPlainObject(template.Parameters) ? template.Parameters : {},
    outputs: isPlainObject(template.Outputs) ? template.Outputs : {},
    ...(appliedManifests.length > 0 ? { appliedManifests } : {}),
  };
}

/**
 * The objects of a template's EKS manifests, one kubernetes document per cluster (the `ClusterName` each manifest
 * names). A manifest that cannot be read stays one resource, marked `unreadable`, so it fails closed.
 */
function appliedManifestDocuments(resources: readonly RenderedResource[], options: TemplateDocumentOptions): RenderedDocument[] {
  const clusters = new Map<string, RenderedResource[]>();
  for (const manifest of resources) {
    if (manifest.type !== KUBERNETES_MANIFEST_TYPE || manifest.properties.Manifest === undefined) continue;
    const cluster = JSON.stringify(manifest.properties.ClusterName) ?? '';
    clusters.set(cluster, [...(clusters.get(cluster) ?? []), ...appliedObjects(manifest)]);
  }
  return [...clusters.values()].map((objects) => kubernetesDocumentOf(objects, options.source, options.stack));
}

/** The objects a manifest custom resource applies, or the resource itself marked `unreadable`. */
function appliedObjects(manifest: RenderedResource): RenderedResource[] {
  const unreadable = (problem: string) => [{ ...manifest, unreadable: `the Kubernetes objects this custom resource applies cannot be read: ${problem}` }];
  const read = manifestObjects(manifest.properties.Manifest);
  if ('problem' in read) return unreadable(read.problem);
  try {
    return kubernetesResources(read.objects, 'the Manifest', manifest);
  } catch (e) {
    return unreadable((e as Error).message);
  }
}

/** Annotation under which Kubernetes objects carry their acknowledgments (a JSON array). */
export const K8S_ACKNOWLEDGMENTS_ANNOTATION = 'regulated-mlops.io/acknowledgments';

/** Reads Kubernetes objects (already parsed from YAML or produced by a cdk8s chart). */
export function kubernetesDocument(objects: readonly any[], source: string): RenderedDocument {
  return kubernetesDocumentOf(kubernetesResources(objects, source), source);
}

/**
 * The objects as resources (empty YAML documents skipped); throws when one is not a Kubernetes object. Objects a
 * template applies through `appliedBy` are named after it: logical id and construct path prefixed with its own.
 */
function kubernetesResources(objects: readonly unknown[], source: string, appliedBy?: RenderedResource): RenderedResource[] {
  const resources: RenderedResource[] = [];
  objects.forEach((obj, i) => {
    if (obj === null || obj === undefined) return; // empty YAML documents
    if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      throw new Error(`${source}: document ${i + 1} is not a Kubernetes object (it needs "apiVersion" and "kind")`);
    }
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
    if (appliedBy && [meta.name, meta.namespace].some((v) => v !== undefined && typeof v !== 'string')) {
      // Rules group objects by namespace and name: one known only at deploy time cannot be placed.
      throw new Error(`${source}: the name or namespace of document ${i + 1} (${obj.kind}) is known only at deploy time`);
    }
    const name = meta.name ?? `#${i + 1}`;
    const id = meta.namespace ? `${obj.kind}/${meta.namespace}/${name}` : `${obj.kind}/${name}`;
    resources.push({
      logicalId: appliedBy ? `${appliedBy.logicalId}/${id}` : id,
      type: `${obj.apiVersion}/${obj.kind}`,
      properties: obj,
      metadata: annotations,
      constructPath: appliedBy ? appliedBy.constructPath && `${appliedBy.constructPath}/${id}` : annotations['cdk8s.io/construct-path'],
      ...(appliedBy ? { appliedBy } : {}),
    });
  });
  return resources;
}

function kubernetesDocumentOf(resources: RenderedResource[], source: string, stack?: string): RenderedDocument {
  return {
    kind: 'kubernetes',
    source,
    ...(stack !== undefined ? { stack } : {}),
    resources,
    byLogicalId: new Map(resources.map((r) => [r.logicalId, r])),
    parameters: {},
    outputs: {},
  };
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
