import type { Rule } from '../../../rule';

/** The ECR rules. */
export const ECR_RULES: Rule[] = [];
