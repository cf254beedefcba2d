import type { ResourceRef } from './assembly-diff';
import type { LoadedStack } from './loaded-assembly';

/** Names a resource of a stack: stack, logical id, type and construct path. */
export function resourceRef(stack: LoadedStack, logicalId: string): ResourceRef {
  const resource = stack.document.byLogicalId.get(logicalId);
  return {
    stack: stack.stack,
    logicalId,
    type: resource?.type ?? stack.template.Resources?.[logicalId]?.Type ?? 'unknown',
    ...(resource?.constructPath ? { constructPath: resource.constructPath } : {}),
  };
}

/** How a resource is shown in lists: its construct path, else `stack/logicalId`. */
export function resourceLabel(ref: ResourceRef): string {
  return ref.constructPath ?? `${ref.stack}/${ref.logicalId}`;
}
