/** The Pod Security Standards profiles a namespace can enforce (`pod-security.kubernetes.io/enforce`). */
export enum PodSecurityLevel {
  /** Every pod meets the restricted profile: the level for workloads. */
  RESTRICTED = 'restricted',
  /** Known privilege escalations blocked (no host namespaces, no privileged containers, no hostPath). */
  BASELINE = 'baseline',
  /** Nothing enforced: only for node daemons that need the host (CNI agents, GPU exporters, node exporter). */
  PRIVILEGED = 'privileged',
}
