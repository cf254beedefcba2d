import { createHash } from 'crypto';

/** The namespace of every UUID the reports derive: RFC 4122 v5 of the URL `urn:regulated-mlops:report` in the URL namespace. */
const REPORT_NAMESPACE = '4db25f67-4186-57af-8a42-4413f5b71c82';

/**
 * An RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in `namespace`: the same name always gives the same UUID, so two
 * synths of the same app write the same identifiers.
 */
export function nameBasedUuid(name: string, namespace: string = REPORT_NAMESPACE): string {
  const bytes = createHash('sha1').update(namespaceBytes(namespace)).update(name, 'utf-8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const namespaces = new Map<string, Buffer>();

function namespaceBytes(namespace: string): Buffer {
  let bytes = namespaces.get(namespace);
  if (!bytes) namespaces.set(namespace, bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex'));
  return bytes;
}
