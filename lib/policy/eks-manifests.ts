/**
 * The CloudFormation type of an EKS `KubernetesManifest` (aws-eks-v2 and aws-eks; also what `addCdk8sChart` and
 * `addManifest` render): its `Manifest` property is the JSON text of the objects the kubectl handler applies.
 */
export const KUBERNETES_MANIFEST_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';

/** The objects of a manifest, or why they cannot be read. */
export type ManifestObjects = { readonly objects: readonly unknown[] } | { readonly problem: string };

// Private-use characters around the index of a deploy-time value: valid inside a JSON string, absent from manifests.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/;
const MARKER_CHARACTERS = /[\uE000\uE001]|\\u[eE]00[01]/;

/**
 * Reads the `Manifest` of a `Custom::AWSCDK-EKS-KubernetesResource`: a JSON string, or (when CDK tokens sit inside it)
 * a `Fn::Join` of JSON text and intrinsics. A value known only at deploy time comes back as CloudFormation writes it,
 * so the context's readers treat it as they treat any intrinsic (Unresolvable): a string holding some is the
 * `Fn::Join` of its literal pieces and those intrinsics, a whole value is the intrinsic itself.
 */
export function manifestObjects(manifest: unknown): ManifestObjects {
  const source = jsonText(manifest);
  if ('problem' in source) return source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(source.text);
  } catch (e) {
    const aside = source.intrinsics.length > 0 ? ' once its deploy-time values are set aside' : '';
    return { problem: `the Manifest is not JSON${aside} (${(e as Error).message})` };
  }
  if (!Array.isArray(parsed)) return { problem: 'the Manifest is not a JSON array of Kubernetes objects' };
  if (source.intrinsics.length === 0) return { objects: parsed };
  try {
    return { objects: parsed.map((object) => restore(object, source.intrinsics)) };
  } catch (e) {
    if (e instanceof DeployTimeKey) return { problem: e.message };
    throw e;
  }
}

class DeployTimeKey extends Error {}

/** The JSON text with a marker for each intrinsic (quoted when the intrinsic stands for a whole value). */
function jsonText(manifest: unknown): { text: string; intrinsics: unknown[] } | { problem: string } {
  if (typeof manifest === 'string') return { text: manifest, intrinsics: [] };
  const join = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>)['Fn::Join'] : undefined;
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1]) || Object.keys(manifest as object).length !== 1) {
    return { problem: `the Manifest is ${JSON.stringify(manifest)?.slice(0, 80)}, neither JSON text nor a Fn::Join of JSON text and deploy-time values` };
  }
  const [separator, parts] = join as [string, unknown[]];
  if ([separator, ...parts].some((part) => typeof part === 'string' && MARKER_CHARACTERS.test(part))) {
    return { problem: 'the Manifest holds the private-use characters U+E000/U+E001, which the reader reserves for deploy-time values' };
  }
  const intrinsics: unknown[] = [];
  let text = '';
  let inString = false;
  let escaped = false;
  const literal = (piece: string) => {
    for (const char of piece) {
      if (escaped) escaped = false;
      else if (inString && char === '\\') escaped = true;
      else if (char === '"') inString = !inString;
    }
    text += piece;
  };
  for (const [i, part] of parts.entries()) {
    if (i > 0) literal(separator);
    if (typeof part === 'string') {
      literal(part);
      continue;
    }
    const marker = `${OPEN}${intrinsics.push(part) - 1}${CLOSE}`;
    text += inString ? marker : `"${marker}"`;
  }
  return { text, intrinsics };
}

/** The parsed value with every marker replaced by its intrinsic. */
function restore(value: unknown, intrinsics: readonly unknown[]): unknown {
  if (typeof value === 'string') return MARKER.test(value) ? deployTimeString(value, intrinsics) : value;
  if (Array.isArray(value)) return value.map((item) => restore(item, intrinsics));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // An intrinsic has no place in a key: a rule listing the keys would read the marker as a real name.
    if (MARKER.test(key)) throw new DeployTimeKey('the Manifest has an object key known only at deploy time');
    out[key] = restore(item, intrinsics);
  }
  return out;
}

/** `"<marker>.dkr.ecr..."` becomes `{Fn::Join: ['', [<intrinsic>, '.dkr.ecr...']]}`; a lone marker, the intrinsic. */
function deployTimeString(value: string, intrinsics: readonly unknown[]): unknown {
  const pieces = value.split(MARKER);
  const parts: unknown[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) parts.push(intrinsics[Number(piece)]);
    else if (piece !== '') parts.push(piece);
  });
  return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
}
