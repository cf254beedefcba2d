import type { EvaluationContext } from '../../context';
import { containersOf, describeContainer, lookup, PodTemplate } from './pod-spec';

/** The seccomp profile set at one level (the pod, or one container). */
export interface SeccompSetting {
  /** `the pod`, `container "main"`. */
  readonly owner: string;
  /** Whether a seccompProfile object is set at this level. */
  readonly set: boolean;
  /** Its type ('' when the profile is set without one). */
  readonly type: string;
  /** The path of `seccompProfile/type`. */
  readonly path: string;
}

/** The two profile types both Pod Security Standards levels accept. */
export const isConfiningSeccomp = (type: string): boolean => type === 'RuntimeDefault' || type === 'Localhost';

/** The seccomp profile of the pod and of each container (the baseline and restricted checks share it). */
export function seccompSettings(ctx: EvaluationContext, pod: PodTemplate): { readonly pod: SeccompSetting; readonly containers: readonly SeccompSetting[] } {
  const read = (owner: string, root: unknown, rootPath: string): SeccompSetting => {
    const profile = lookup(ctx, root, rootPath, ['securityContext', 'seccompProfile']);
    const type = lookup(ctx, profile.value, profile.path, ['type']);
    const set = ctx.isPresent(profile.value, profile.path);
    return { owner, set, type: set ? ctx.string(type.value, type.path) ?? '' : '', path: type.path };
  };
  return {
    pod: read('the pod', pod.spec, pod.path),
    containers: containersOf(ctx, pod).map((c) => read(describeContainer(c), c.container, c.path)),
  };
}
