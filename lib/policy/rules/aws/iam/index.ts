import type { Rule } from '../../../rule';

/** The IAM rules. */
export const IAM_RULES: Rule[] = [];
