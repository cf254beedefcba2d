import type { Pack } from '../pack';
import { EU_AI_ACT } from './eu-ai-act';
import { GDPR } from './gdpr';
import { HIPAA_SECURITY } from './hipaa-security';
import { K8S_POD_SECURITY } from './k8s-pod-security';
import { NIST_800_53_R5 } from './nist-800-53-r5';
import { PCI_DSS_V4 } from './pci-dss-v4';
import { SR_11_7 } from './sr-11-7';

export { EU_AI_ACT, GDPR, HIPAA_SECURITY, K8S_POD_SECURITY, NIST_800_53_R5, PCI_DSS_V4, SR_11_7 };

/** Every pack of the library. */
export const ALL_PACKS: readonly Pack[] = [HIPAA_SECURITY, PCI_DSS_V4, NIST_800_53_R5, SR_11_7, EU_AI_ACT, GDPR, K8S_POD_SECURITY];

/** A pack by id (`hipaa`, `pci-dss-4.0.1`, ...). Throws with the list of ids when there is none. */
export function packById(id: string): Pack {
  const pack = ALL_PACKS.find((p) => p.id === id);
  if (!pack) throw new Error(`Unknown pack '${id}'. Packs: ${ALL_PACKS.map((p) => p.id).join(', ')}`);
  return pack;
}
