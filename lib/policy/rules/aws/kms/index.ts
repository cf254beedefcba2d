import type { Rule } from '../../../rule';
import keyPolicyGrantsForAwsServices from './key-policy-grants-for-aws-services';
import keyPolicyWildcardPrincipal from './key-policy-wildcard-principal';
import keyRotation from './key-rotation';

/** The KMS rules. */
export const KMS_RULES: Rule[] = [keyRotation, keyPolicyWildcardPrincipal, keyPolicyGrantsForAwsServices];
