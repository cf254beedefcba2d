import queueKmsEncryption from './queue-kms-encryption';
import queueTlsOnly from './queue-tls-only';

/** The SQS rules. */
export const SQS_RULES = [queueKmsEncryption, queueTlsOnly];
