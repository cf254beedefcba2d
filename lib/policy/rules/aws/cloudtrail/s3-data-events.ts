import { AppIndex, EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject, RenderedDocument, RenderedResource } from '../../../document';

/** What one data-event selector of a trail covers. */
export type DataEventTarget =
  /** Every S3 object (`arn:aws:s3`, `arn:aws:s3:::`, or an advanced selector without `resources.ARN`). */
  | { readonly kind: 'all' }
  /** A bucket of a document of the evaluation, by logical id; `whole` false when only a key prefix is selected. */
  | { readonly kind: 'bucket'; readonly document: RenderedDocument; readonly logicalId: string; readonly whole: boolean }
  /** A bucket by its literal name. */
  | { readonly kind: 'name'; readonly name: string; readonly whole: boolean }
  /** A bucket of a stack outside the evaluation (an import no evaluated document exports). */
  | { readonly kind: 'outside' }
  /** Something that cannot be resolved at synth: it may cover any bucket. */
  | { readonly kind: 'unknown'; readonly reason: string };

/** One S3 data-event selection of a trail: what it covers and which events it records. */
export interface DataEventSelection {
  readonly document: RenderedDocument;
  readonly trail: RenderedResource;
  readonly target: DataEventTarget;
  readonly read: boolean;
  readonly write: boolean;
  /** Where in the trail, for messages (`EventSelectors/0`). */
  readonly where: string;
}

/** Advanced selector fields that only say "S3 data events", as opposed to narrowing which ones. */
const NEUTRAL_FIELDS = new Set(['eventCategory', 'resources.type', 'readOnly', 'resources.ARN']);

/** Marks a bucket reference inside a rendered ARN (no ARN contains these characters). */
const MARK = '\u0001';
/** Stands for an import of an export outside the evaluation. */
const OUTSIDE = '\u0002';

/**
 * Every S3 data-event selection of every logging trail of the evaluation (basic `EventSelectors` and
 * `AdvancedEventSelectors`), with bucket references followed through `Fn::GetAtt` and `Fn::ImportValue`.
 * Stopped trails (IsLogging false) record nothing and are left out. Selectors narrowed by event name, source,
 * identity or an exclusion are left out too: they do not record every read and write of a bucket.
 */
export const S3_DATA_EVENTS: AppIndex<readonly DataEventSelection[]> = {
  id: 'cloudtrail/s3-data-events',
  build(scope) {
    const selections: DataEventSelection[] = [];
    for (const document of scope.documents) {
      // The index reads no date: the epoch stands in for the synth date.
      const ctx = new EvaluationContext(document, new Date(0), scope);
      for (const trail of ctx.resourcesOfType('AWS::CloudTrail::Trail')) {
        const add = (where: string, target: DataEventTarget, read: boolean, write: boolean) =>
          selections.push({ document, trail, target, read, write, where });
        guarded(add, 'IsLogging', () => {
          if (ctx.bool(trail.properties.IsLogging, 'Properties/IsLogging') !== false) {
            basicSelections(trail, ctx, add);
            advancedSelections(trail, ctx, add);
          }
        });
      }
    }
    return selections;
  },
};

type Add = (where: string, target: DataEventTarget, read: boolean, write: boolean) => void;

/** Runs `read`; a value it cannot resolve becomes an unknown selection that may cover any bucket. */
function guarded(add: Add, where: string, read: () => void): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof Unresolvable)) throw e;
    add(where, { kind: 'unknown', reason: `${e.path} is ${e.detail}` }, true, true);
  }
}

function basicSelections(trail: RenderedResource, ctx: EvaluationContext, add: Add): void {
  const selectors = ctx.array(trail.properties.EventSelectors, 'Properties/EventSelectors') ?? [];
  selectors.forEach((raw, i) => {
    const base = `Properties/EventSelectors/${i}`;
    guarded(add, `EventSelectors/${i}`, () => {
      const selector = ctx.literal(raw, base);
      const type = ctx.string(selector?.ReadWriteType, `${base}/ReadWriteType`) ?? 'All';
      const read = type === 'All' || type === 'ReadOnly';
      const write = type === 'All' || type === 'WriteOnly';
      const resources = ctx.array(selector?.DataResources, `${base}/DataResources`) ?? [];
      resources.forEach((rawResource, j) => {
        const path = `${base}/DataResources/${j}`;
        guarded(add, `EventSelectors/${i}/DataResources/${j}`, () => {
          const resource = ctx.literal(rawResource, path);
          if (ctx.string(resource?.Type, `${path}/Type`) !== 'AWS::S3::Object') return;
          const values = ctx.array(resource?.Values, `${path}/Values`) ?? [];
          values.forEach((value, k) => {
            guarded(add, `EventSelectors/${i}/DataResources/${j}/Values/${k}`, () => {
              add(`EventSelectors/${i}`, targetOf(value, `${path}/Values/${k}`, ctx), read, write);
            });
          });
        });
      });
    });
  });
}

function advancedSelections(trail: RenderedResource, ctx: EvaluationContext, add: Add): void {
  const selectors = ctx.array(trail.properties.AdvancedEventSelectors, 'Properties/AdvancedEventSelectors') ?? [];
  selectors.forEach((raw, i) => {
    const base = `Properties/AdvancedEventSelectors/${i}/FieldSelectors`;
    guarded(add, `AdvancedEventSelectors/${i}`, () => {
      const selector = ctx.literal(raw, `Properties/AdvancedEventSelectors/${i}`);
      const fields = new Map<string, { value: Record<string, unknown>; path: string }>();
      (ctx.array(selector?.FieldSelectors, base) ?? []).forEach((rawField, j) => {
        const field = ctx.literal(rawField, `${base}/${j}`);
        const name = ctx.string(field?.Field, `${base}/${j}/Field`);
        if (name !== undefined) fields.set(name, { value: isPlainObject(field) ? field : {}, path: `${base}/${j}` });
      });
      const equals = (name: string) => {
        const field = fields.get(name);
        return field ? (ctx.array(field.value.Equals, `${field.path}/Equals`) ?? []).map((v, k) => ctx.string(v, `${field.path}/Equals/${k}`)) : undefined;
      };
      if (!equals('eventCategory')?.includes('Data') || !equals('resources.type')?.includes('AWS::S3::Object')) return;
      if ([...fields.keys()].some((name) => !NEUTRAL_FIELDS.has(name))) return;
      const readOnly = equals('readOnly');
      const read = readOnly === undefined || readOnly.includes('true');
      const write = readOnly === undefined || readOnly.includes('false');
      const arn = fields.get('resources.ARN');
      if (!arn) {
        add(`AdvancedEventSelectors/${i}`, { kind: 'all' }, read, write);
        return;
      }
      // Only StartsWith selects whole buckets; Equals names single objects, the Not* and EndsWith operators exclude.
      const operators = Object.keys(arn.value).filter((k) => k !== 'Field');
      if (operators.some((op) => op !== 'StartsWith')) return;
      (ctx.array(arn.value.StartsWith, `${arn.path}/StartsWith`) ?? []).forEach((value, k) => {
        add(`AdvancedEventSelectors/${i}`, targetOf(value, `${arn.path}/StartsWith/${k}`, ctx), read, write);
      });
    });
  });
}

/** What an S3 ARN prefix of a selector covers. */
function targetOf(value: unknown, path: string, ctx: EvaluationContext): DataEventTarget {
  const buckets: { document: RenderedDocument; logicalId: string }[] = [];
  const text = arnText(value, path, ctx, buckets);
  if (text.includes(OUTSIDE)) return { kind: 'outside' };
  if (/^arn:[^:]*:s3(:::)?$/.test(text)) return { kind: 'all' };
  const marked = new RegExp(`^${MARK}(\\d+)${MARK}(/.*)?$`).exec(text);
  if (marked) return { kind: 'bucket', ...buckets[Number(marked[1])], whole: !marked[2] || marked[2] === '/' };
  const named = /^arn:[^:]*:s3:::([^/]+)(\/.*)?$/.exec(text);
  if (named && !named[1].includes(MARK)) return { kind: 'name', name: named[1], whole: !named[2] || named[2] === '/' };
  return { kind: 'unknown', reason: `${path} is ${JSON.stringify(value).slice(0, 80)}, not an S3 ARN prefix of a known bucket` };
}

/**
 * An ARN value as text: literals, `Fn::Join` and `Fn::Sub` pieces, the partition as `aws`, and a bucket's `Arn`
 * (of this document, or of another through `Fn::ImportValue`) as a marked index into `buckets`. Throws
 * `Unresolvable` on anything else (a parameter, another pseudo parameter, an attribute of something else).
 */
function arnText(value: unknown, path: string, ctx: EvaluationContext, buckets: { document: RenderedDocument; logicalId: string }[]): string {
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && value.Ref === 'AWS::Partition') return 'aws';
  const join = isPlainObject(value) ? value['Fn::Join'] : undefined;
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part: unknown, i: number) => arnText(part, `${path}/Fn::Join/1/${i}`, ctx, buckets)).join(join[0]);
  }
  const sub = isPlainObject(value) ? value['Fn::Sub'] : undefined;
  if (typeof sub === 'string') {
    return sub.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      const [logicalId, attribute] = name.split('.');
      const replacement = name === 'AWS::Partition' ? { Ref: name } : attribute ? { 'Fn::GetAtt': [logicalId, attribute] } : { Ref: logicalId };
      return arnText(replacement, path, ctx, buckets);
    }).replace(/\$\{!/g, '${');
  }
  const located = ctx.locate(value);
  if (located?.resource.type === 'AWS::S3::Bucket' && located.attribute === 'Arn') {
    buckets.push({ document: located.document, logicalId: located.resource.logicalId });
    return `${MARK}${buckets.length - 1}${MARK}`;
  }
  if (!located && isPlainObject(value) && value['Fn::ImportValue'] !== undefined) return OUTSIDE;
  return ctx.string(value, path) ?? '';
}
