import type { Rule } from '../../../rule';
import alarmActions from './alarm-actions';

/** The CLOUDWATCH rules. */
export const CLOUDWATCH_RULES: Rule[] = [alarmActions];
