import type { Rule } from '../../rule';
import containerMemoryLimits from './container-memory-limits';
import destinationRuleMutualTls from './destination-rule-mutual-tls';
import imageNoLatestTag from './image-no-latest-tag';
import imagePinnedByDigest from './image-pinned-by-digest';
import istioStrictMtls from './istio-strict-mtls';
import namespaceDefaultDenyNetworkPolicy from './namespace-default-deny-network-policy';
import namespacePssRestrictedLabel from './namespace-pss-restricted-label';
import pssApparmorProfileAllowed from './pss-apparmor-profile-allowed';
import pssCapabilitiesBaseline from './pss-capabilities-baseline';
import pssCapabilitiesDropAll from './pss-capabilities-drop-all';
import pssNoHostNamespaces from './pss-no-host-namespaces';
import pssNoHostPathVolumes from './pss-no-host-path-volumes';
import pssNoHostPorts from './pss-no-host-ports';
import pssNoHostProbesOrLifecycleHosts from './pss-no-host-probes-or-lifecycle-hosts';
import pssNoPrivilegeEscalation from './pss-no-privilege-escalation';
import pssNoPrivilegedContainers from './pss-no-privileged-containers';
import pssNoWindowsHostProcess from './pss-no-windows-host-process';
import pssProcMountDefault from './pss-proc-mount-default';
import pssProcMountRestricted from './pss-proc-mount-restricted';
import pssRestrictedVolumeTypes from './pss-restricted-volume-types';
import pssRunAsNonRoot from './pss-run-as-non-root';
import pssRunAsUserNotRoot from './pss-run-as-user-not-root';
import pssSafeSysctlsOnly from './pss-safe-sysctls-only';
import pssSeccompNotUnconfined from './pss-seccomp-not-unconfined';
import pssSeccompProfileRequired from './pss-seccomp-profile-required';
import pssSelinuxOptionsAllowed from './pss-selinux-options-allowed';
import rolloutCanaryAnalysis from './rollout-canary-analysis';
import rolloutCanaryFirstWeight from './rollout-canary-first-weight';

/** The Pod Security Standards checks, baseline (MLOPS-PSS-001..012) then restricted (013..019). */
export const PSS_RULES: Rule[] = [
  pssNoPrivilegedContainers,
  pssNoHostNamespaces,
  pssNoHostPathVolumes,
  pssNoHostPorts,
  pssNoHostProbesOrLifecycleHosts,
  pssApparmorProfileAllowed,
  pssCapabilitiesBaseline,
  pssSelinuxOptionsAllowed,
  pssProcMountDefault,
  pssSeccompNotUnconfined,
  pssSafeSysctlsOnly,
  pssNoWindowsHostProcess,
  pssRestrictedVolumeTypes,
  pssNoPrivilegeEscalation,
  pssRunAsNonRoot,
  pssRunAsUserNotRoot,
  pssSeccompProfileRequired,
  pssCapabilitiesDropAll,
  pssProcMountRestricted,
];

/** The Kubernetes rules (Pod Security Standards restricted, mesh, rollouts). */
export const K8S_RULES: Rule[] = [
  ...PSS_RULES,
  containerMemoryLimits,
  imagePinnedByDigest,
  imageNoLatestTag,
  namespaceDefaultDenyNetworkPolicy,
  namespacePssRestrictedLabel,
  istioStrictMtls,
  rolloutCanaryFirstWeight,
  rolloutCanaryAnalysis,
  destinationRuleMutualTls,
];
