import type { Rule } from '../../../rule';

/** The EKS rules. */
export const EKS_RULES: Rule[] = [];
