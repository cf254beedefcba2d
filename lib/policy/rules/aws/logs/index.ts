import type { Rule } from '../../../rule';

/** The LOGS rules. */
export const LOGS_RULES: Rule[] = [];
