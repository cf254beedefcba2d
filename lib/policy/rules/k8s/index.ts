import type { Rule } from '../../rule';

/** The Kubernetes rules (Pod Security Standards restricted, mesh, rollouts). */
export const K8S_RULES: Rule[] = [];
