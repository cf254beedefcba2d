/** What an asset hash becomes in a template read for comparison. */
export const ASSET_HASH_PLACEHOLDER = '<asset-hash>';

/**
 * A copy of a template (or any JSON value) with every asset hash in its strings replaced by a placeholder. Asset
 * hashes (S3 object keys, image tags, nested template URLs) change whenever an asset's content does; with them
 * replaced, an asset-only change leaves two templates equal.
 */
export function withoutAssetHashes<T>(value: T, hashes: ReadonlySet<string>): T {
  const ids = [...hashes].filter((h) => h.length > 0);
  if (ids.length === 0) return value;
  // Longest first, so a hash that contains another is replaced whole.
  const pattern = new RegExp(ids.sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return mapStrings(value, (s) => s.replace(pattern, ASSET_HASH_PLACEHOLDER)) as T;
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [map(k), mapStrings(v, map)]));
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
