import type { Rule } from '../../../rule';

/** The CLOUDTRAIL rules. */
export const CLOUDTRAIL_RULES: Rule[] = [];
