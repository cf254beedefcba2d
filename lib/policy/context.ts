import { isPlainObject, RenderedDocument, RenderedResource } from './document';

/**
 * Thrown by the value readers when the answer depends on a value that cannot be known at synth (a
 * parameter, a condition, an import). The engine turns it into a "could not evaluate" finding: fail closed.
 */
export class Unresolvable extends Error {
  constructor(
    public readonly path: string,
    public readonly detail: string,
  ) {
    super(`${path} is ${detail}, which cannot be resolved at synth`);
    this.name = 'Unresolvable';
  }
}

/** How a string value ends, as `EvaluationContext.stringEnd` reads it. */
export interface StringEnd {
  /** The literal text the value ends with: the whole value when `complete`. */
  readonly text: string;
  /** False when a part before `text` is known only at deploy time. */
  readonly complete: boolean;
}

/**
 * A cross-resource index, built at most once per document and only when a rule first asks for it.
 * Rules that need "the bucket policy of this bucket" read an index instead of scanning the template.
 */
export interface DocumentIndex<T> {
  /** Unique name; two indexes with the same id would share a cache slot. */
  readonly id: string;
  build(context: EvaluationContext): T;
}

/** A `Ref` or `Fn::GetAtt` to a resource of the same document. */
export interface ResourceReference {
  readonly logicalId: string;
  /** `Ref`, or the attribute name of a `Fn::GetAtt`. */
  readonly attribute: string;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NotificationARNs',
]);

/**
 * Everything evaluated together (all stacks of an app, all files of a check), with indexes built once per
 * evaluation. Rules reach it through `EvaluationContext.appIndex`, for questions that cross stacks (is this
 * bucket covered by the trail of the foundation stack?).
 */
export class EvaluationScope {
  private readonly indexes = new Map<string, unknown>();

  constructor(public readonly documents: readonly RenderedDocument[]) {}

  /** The value of an app-wide index, built on first use. */
  public index<T>(index: AppIndex<T>): T {
    if (!this.indexes.has(index.id)) this.indexes.set(index.id, index.build(this));
    return this.indexes.get(index.id) as T;
  }
}

/** An index over every document of an evaluation. */
export interface AppIndex<T> {
  readonly id: string;
  build(scope: EvaluationScope): T;
}

/** A resource and the document it is in. */
export interface LocatedResource {
  readonly document: RenderedDocument;
  readonly resource: RenderedResource;
}

/**
 * What a rule sees besides its resource: the whole document, the clock of the synth, indexes, and value
 * readers that understand CloudFormation intrinsics and refuse to guess.
 */
export class EvaluationContext {
  private readonly indexes = new Map<string, unknown>();

  constructor(
    public readonly document: RenderedDocument,
    /** The synth date (rules about support windows and expiry read it, never `new Date()`). */
    public readonly now: Date,
    /** Every document evaluated together. @default - this document alone */
    public readonly scope: EvaluationScope = new EvaluationScope([document]),
  ) {}

  /** The value of an app-wide index (across every document of the evaluation). */
  public appIndex<T>(index: AppIndex<T>): T {
    return this.scope.index(index);
  }

  /**
   * The resource a value points at, in this document or, through `Fn::ImportValue` of another stack's export,
   * in another document of the evaluation.
   */
  public locate(value: unknown): (LocatedResource & { attribute: string }) | undefined {
    const local = this.reference(value);
    if (local) return { document: this.document, resource: this.document.byLogicalId.get(local.logicalId)!, attribute: local.attribute };
    if (!isPlainObject(value) || value['Fn::ImportValue'] === undefined) return undefined;
    const name = this.literal(value['Fn::ImportValue'], 'Fn::ImportValue');
    const exported = this.appIndex(EXPORTS).get(String(name));
    if (!exported) return undefined;
    const remote = new EvaluationContext(exported.document, this.now, this.scope).reference(exported.value);
    return remote ? { document: exported.document, resource: exported.document.byLogicalId.get(remote.logicalId)!, attribute: remote.attribute } : undefined;
  }

  /** Another resource of the same document. */
  public resource(logicalId: string): RenderedResource | undefined {
    return this.document.byLogicalId.get(logicalId);
  }

  /** Resources of one type, through the shared by-type index. */
  public resourcesOfType(type: string): readonly RenderedResource[] {
    return this.index(RESOURCES_BY_TYPE).get(type) ?? [];
  }

  /** The value of an index for this document, built on first use. */
  public index<T>(index: DocumentIndex<T>): T {
    if (!this.indexes.has(index.id)) this.indexes.set(index.id, index.build(this));
    return this.indexes.get(index.id) as T;
  }

  /** True when the value is absent or `{Ref: AWS::NoValue}`. */
  public isAbsent(value: unknown): boolean {
    return value === undefined || value === null || (isPlainObject(value) && value.Ref === 'AWS::NoValue');
  }

  /**
   * True when a value is set, whatever it is (a Ref to a key counts). A `Fn::If` is unresolvable: one of its
   * branches may be `AWS::NoValue`.
   */
  public isPresent(value: unknown, path: string): boolean {
    if (this.isAbsent(value)) return false;
    if (isPlainObject(value) && 'Fn::If' in value) throw new Unresolvable(path, 'a Fn::If');
    return true;
  }

  /** A boolean property (`true`/`"true"`), undefined when absent. */
  public bool(value: unknown, path: string): boolean | undefined {
    const v = this.literal(value, path);
    if (v === undefined) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw new Unresolvable(path, `${JSON.stringify(v)} (not a boolean)`);
  }

  /** A string property, with `Fn::Join`/`Fn::Sub` of known parts resolved; undefined when absent. */
  public string(value: unknown, path: string): string | undefined {
    const v = this.literal(value, path);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Unresolvable(path, `${JSON.stringify(v)} (not a string)`);
  }

  /**
   * How a string value ends, for rules that judge only its end (an image's `@sha256:` digest): the whole value when
   * it is known, else the literal parts of a `Fn::Join` after its last part known only at deploy time
   * (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:...` ends in a known digest). Undefined when
   * absent; any other value throws Unresolvable, as `string` does.
   */
  public stringEnd(value: unknown, path: string): StringEnd | undefined {
    const join = isPlainObject(value) && Object.keys(value).length === 1 ? value['Fn::Join'] : undefined;
    if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
      const text = this.string(value, path);
      return text === undefined ? undefined : { text, complete: true };
    }
    const [separator, parts] = join as [string, unknown[]];
    let text = '';
    for (let i = parts.length - 1; i >= 0; i--) {
      let part: string | undefined;
      try {
        part = this.string(parts[i], `${path}/Fn::Join/${i}`);
      } catch (e) {
        if (e instanceof Unresolvable) return { text, complete: false };
        throw e;
      }
      text = `${i > 0 ? separator : ''}${part ?? ''}${text}`;
    }
    return { text, complete: true };
  }

  /** A number property (numbers and numeric strings); undefined when absent. */
  public number(value: unknown, path: string): number | undefined {
    const v = this.literal(value, path);
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isNaN(n)) throw new Unresolvable(path, `${JSON.stringify(v)} (not a number)`);
    return n;
  }

  /** A list property with `AWS::NoValue` items dropped; undefined when absent. */
  public array(value: unknown, path: string): any[] | undefined {
    if (this.isAbsent(value)) return undefined;
    if (Array.isArray(value)) return value.filter((item) => !this.isAbsent(item));
    throw new Unresolvable(path, describeIntrinsic(value));
  }

  /** The resource a `Ref`/`Fn::GetAtt` points at, when it is in this document. */
  public reference(value: unknown): ResourceReference | undefined {
    if (!isPlainObject(value)) return undefined;
    if (typeof value.Ref === 'string' && this.document.byLogicalId.has(value.Ref)) {
      return { logicalId: value.Ref, attribute: 'Ref' };
    }
    const getAtt = value['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [logicalId, attribute] = Array.isArray(getAtt) ? getAtt : String(getAtt).split(/\.(.*)/);
      if (typeof logicalId === 'string' && this.document.byLogicalId.has(logicalId)) {
        return { logicalId, attribute: String(attribute) };
      }
    }
    return undefined;
  }

  /**
   * Resolves what can be known at synth: literals, `Fn::Join` and `Fn::Sub` of literals, `AWS::NoValue`.
   * Everything else (parameters, conditions, imports, attributes) throws `Unresolvable`.
   */
  public literal(value: unknown, path: string): any {
    if (this.isAbsent(value)) return undefined;
    if (!isPlainObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return value;
    if (keys[0] === 'Fn::Join' && Array.isArray(value['Fn::Join'])) {
      const [separator, parts] = value['Fn::Join'];
      if (typeof separator === 'string' && Array.isArray(parts)) {
        return parts.map((p, i) => this.string(p, `${path}/Fn::Join/${i}`)).join(separator);
      }
    }
    if (keys[0] === 'Fn::Sub' && typeof value['Fn::Sub'] === 'string' && !/\$\{[^!]/.test(value['Fn::Sub'])) {
      return value['Fn::Sub'].replace(/\$\{!/g, '${');
    }
    throw new Unresolvable(path, describeIntrinsic(value));
  }
}

/** Names an intrinsic for a "could not evaluate" message. */
export function describeIntrinsic(value: unknown): string {
  if (!isPlainObject(value)) return JSON.stringify(value);
  if (typeof value.Ref === 'string') {
    return PSEUDO_PARAMETERS.has(value.Ref) ? `the pseudo parameter ${value.Ref}` : `a Ref to ${value.Ref}`;
  }
  const fn = Object.keys(value).find((k) => k.startsWith('Fn::'));
  return fn ? `a ${fn}` : JSON.stringify(value).slice(0, 80);
}

/** Resources grouped by type, the index most rules start from. */
export const RESOURCES_BY_TYPE: DocumentIndex<Map<string, RenderedResource[]>> = {
  id: 'resources-by-type',
  build(context) {
    const map = new Map<string, RenderedResource[]>();
    for (const resource of context.document.resources) {
      const list = map.get(resource.type);
      if (list) list.push(resource);
      else map.set(resource.type, [resource]);
    }
    return map;
  },
};

/** Stack exports by name, across the evaluation: how a cross-stack `Fn::ImportValue` is followed. */
export const EXPORTS: AppIndex<Map<string, { document: RenderedDocument; value: unknown }>> = {
  id: 'exports',
  build(scope) {
    const map = new Map<string, { document: RenderedDocument; value: unknown }>();
    for (const document of scope.documents) {
      for (const output of Object.values<any>(document.outputs)) {
        const name = output?.Export?.Name;
        if (typeof name === 'string') map.set(name, { document, value: output.Value });
      }
    }
    return map;
  },
};
