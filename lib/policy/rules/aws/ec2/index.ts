import type { Rule } from '../../../rule';
import vpcFlowLogsEnabled from './vpc-flow-logs-enabled';
import endpointPolicyRestrictsPrincipals from './endpoint-policy-restricts-principals';
import defaultSecurityGroupRestricted from './default-security-group-restricted';

/** The EC2 rules. */
export const EC2_RULES: Rule[] = [vpcFlowLogsEnabled, endpointPolicyRestrictsPrincipals, defaultSecurityGroupRestricted];
