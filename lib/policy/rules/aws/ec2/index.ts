import type { Rule } from '../../../rule';
import vpcFlowLogsEnabled from './vpc-flow-logs-enabled';

/** The EC2 rules. */
export const EC2_RULES: Rule[] = [vpcFlowLogsEnabled];
