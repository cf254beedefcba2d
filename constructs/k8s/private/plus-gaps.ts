import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * The one place where what cdk8s-plus-27 cannot express is patched onto a workload's pod template. Every patch
 * targets `/spec/template/spec`, which Deployments and Rollouts share.
 */

/**
 * `capabilities.drop: [ALL]` (PSS restricted). plus-27's Capability enum has no ALL (plus-33 adds it) and the
 * value is passed through as is, so the cast is the whole workaround.
 */
export const DROP_ALL_CAPABILITIES: kplus.ContainerSecutiryContextCapabilities = { drop: ['ALL' as kplus.Capability] };

/** The extended resource the NVIDIA device plugin advertises, escaped for a JSON pointer. */
const GPU_RESOURCE = 'nvidia.com~1gpu';

/**
 * Sets the pod's seccomp profile to RuntimeDefault (plus-27 has no seccompProfile API) and, when `gpus` is above
 * 0, requests and limits `nvidia.com/gpu` on container `containerIndex` (plus-27 resources are cpu, memory and
 * ephemeral storage only).
 */
export function patchPodTemplate(workload: kplus.Workload, options: { readonly gpus: number; readonly containerIndex: number }): void {
  const object = ApiObject.of(workload);
  object.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
  if (options.gpus > 0) {
    const resources = `/spec/template/spec/containers/${options.containerIndex}/resources`;
    // Patches run before the generated toJson mapper, which reads `.value` of every resource entry: a plain
    // string would come out as null (cdk8s-team/cdk8s #2172), a Quantity comes out as its value.
    const quantity = kplus.k8s.Quantity.fromString(String(options.gpus));
    object.addJsonPatch(JsonPatch.add(`${resources}/limits/${GPU_RESOURCE}`, quantity));
    // Extended resources cannot be overcommitted: the request must equal the limit.
    object.addJsonPatch(JsonPatch.add(`${resources}/requests/${GPU_RESOURCE}`, quantity));
  }
}
