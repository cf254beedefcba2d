import type { Rule } from '../../../rule';

/** The SNS rules. */
export const SNS_RULES: Rule[] = [];
