import { CollectionTag, Pair, Scalar, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';

/** The short-form intrinsic functions of CloudFormation YAML, by tag name without the `!`. */
const FUNCTIONS = [
  'Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Select', 'Split', 'FindInMap',
  'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Transform', 'Length', 'ToJsonString',
] as const;

/** `Ref` and `Condition` keep their name in the long form; every other function gets the `Fn::` prefix. */
function longName(fn: string): string {
  return fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
}

/**
 * Custom tags for the `yaml` package that turn `!Ref X`, `!GetAtt A.B`, `!Sub [..]`, ... into the long JSON
 * form (`{Ref: X}`, `{"Fn::GetAtt": [A, B]}`), so rules see the same shape as in a JSON template. Each function
 * is accepted on a scalar, a sequence and a mapping: CloudFormation is the judge of which forms are valid.
 */
export const CLOUDFORMATION_TAGS: readonly (ScalarTag | CollectionTag)[] = FUNCTIONS.flatMap((fn) => {
  const key = longName(fn);
  const scalar: ScalarTag = {
    tag: `!${fn}`,
    // `!GetAtt Db.Endpoint.Address` names attribute `Endpoint.Address`: split at the first dot only.
    resolve: fn === 'GetAtt' ? (value) => ({ [key]: splitGetAtt(value) }) : (value) => ({ [key]: value }),
  };
  // Collections stay YAML nodes (wrapped in a one-key map) so aliases and source ranges inside them still work.
  const wrap = (value: YAMLMap.Parsed | YAMLSeq.Parsed) => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(key), value));
    return map;
  };
  const seq: CollectionTag = { tag: `!${fn}`, collection: 'seq', resolve: wrap };
  const map: CollectionTag = { tag: `!${fn}`, collection: 'map', resolve: wrap };
  return [scalar, seq, map];
});

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}
