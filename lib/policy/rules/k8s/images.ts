/** A reference pinned to content: `@sha256:` and the 64 hex digits of the digest. */
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Whether an image reference names its content by digest (whatever tag it also carries). */
export const isPinnedByDigest = (image: string): boolean => DIGEST.test(image);

/**
 * The tag of an image reference, or undefined when it has none. The tag is after the last ':' of the last path
 * component, so a registry port (`registry:5000/model`) is not mistaken for one.
 */
export function imageTag(image: string): string | undefined {
  const name = image.split('@')[0];
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}
