import type { Rule } from '../../../rule';
import logGroupEncryptionKms from './log-group-encryption-kms';
import logGroupRetention from './log-group-retention';

/** The LOGS rules. */
export const LOGS_RULES: Rule[] = [logGroupEncryptionKms, logGroupRetention];
