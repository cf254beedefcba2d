import type { Rule } from '../../../rule';

/** The SQS rules. */
export const SQS_RULES: Rule[] = [];
