import type { Rule } from '../../../rule';

/** The EC2 rules. */
export const EC2_RULES: Rule[] = [];
