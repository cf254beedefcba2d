import type { Rule } from '../../../rule';

/** The KMS rules. */
export const KMS_RULES: Rule[] = [];
