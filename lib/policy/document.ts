/**
 * The rendered output the rules read: a CloudFormation template or a set of Kubernetes objects, reduced to
 * one shape (resources with a logical id, a type and properties) so one engine serves both.
 */

/** What kind of output a document came from. */
export type DocumentKind = 'cloudformation' | 'kubernetes';

/** One rendered resource: a CloudFormation resource or a Kubernetes object. */
export interface RenderedResource {
  /** CloudFormation logical id, or `Kind/namespace/name` for a Kubernetes object. */
  readonly logicalId: string;
  /** `AWS::S3::Bucket`, or `apiVersion/Kind` (`apps/v1/Deployment`, `v1/Service`) for Kubernetes. */
  readonly type: string;
  /** CloudFormation `Properties` (empty object when absent), or the whole Kubernetes object. */
  readonly properties: Record<string, any>;
  /** CloudFormation `Metadata`, or the Kubernetes object's annotations. */
  readonly metadata: Record<string, any>;
  /** The construct path, when known (`aws:cdk:path` metadata, the CDK tree, or the cdk8s chart). */
  readonly constructPath?: string;
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
  return {
    kind: 'cloudformation',
    source: options.source,
    stack: options.stack,
    resources,
    byLogicalId: new Map(resources.map((r) => [r.logicalId, r])),
    parameters: isPlainObject(template.Parameters) ? template.Parameters : {},
    outputs: isPlainObject(template.Outputs) ? template.Outputs : {},
  };
}

/** Annotation under which Kubernetes objects carry their acknowledgments (a JSON array). */
export const K8S_ACKNOWLEDGMENTS_ANNOTATION = 'regulated-mlops.io/acknowledgments';

/** Reads Kubernetes objects (already parsed from YAML or produced by a cdk8s chart). */
export function kubernetesDocument(objects: readonly any[], source: string): RenderedDocument {
  const resources: RenderedResource[] = [];
  objects.forEach((obj, i) => {
    if (obj === null || obj === undefined) return; // empty YAML documents
    if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      throw new Error(`${source}: document ${i + 1} is not a Kubernetes object (it needs "apiVersion" and "kind")`);
    }
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
    const name = meta.name ?? `#${i + 1}`;
    resources.push({
      logicalId: meta.namespace ? `${obj.kind}/${meta.namespace}/${name}` : `${obj.kind}/${name}`,
      type: `${obj.apiVersion}/${obj.kind}`,
      properties: obj,
      metadata: annotations,
      constructPath: annotations['cdk8s.io/construct-path'],
    });
  });
  return {
    kind: 'kubernetes',
    source,
    resources,
    byLogicalId: new Map(resources.map((r) => [r.logicalId, r])),
    parameters: {},
    outputs: {},
  };
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
