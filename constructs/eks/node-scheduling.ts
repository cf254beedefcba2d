/**
 * The scheduling contract between the serving cluster's node groups and the workloads: the labels the node groups
 * carry and the taint that keeps everything but GPU workloads off GPU nodes. The model-server chart selects on
 * these; change them only together.
 */
export const NODE_SCHEDULING = Object.freeze({
  /** Label every node group carries: `system` or `gpu`. */
  roleLabel: 'regulated-mlops.io/node-role',
  /** Label a GPU node group carries with its name (select one group: `regulated-mlops.io/gpu-node-group: inference`). */
  gpuNodeGroupLabel: 'regulated-mlops.io/gpu-node-group',
  /**
   * Label GPU nodes carry so selectors written for GPU Feature Discovery (and the NVIDIA device plugin chart's
   * default affinity) match without running it.
   */
  gpuPresentLabel: 'nvidia.com/gpu.present',
  /** The taint of GPU nodes: pods need a matching toleration (`nvidia.com/gpu` Exists NoSchedule). */
  gpuTaint: Object.freeze({ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }),
});
