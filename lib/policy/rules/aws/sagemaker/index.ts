import type { Rule } from '../../../rule';

/** The SAGEMAKER rules. */
export const SAGEMAKER_RULES: Rule[] = [];
