import topicKmsEncryption from './topic-kms-encryption';
import topicTlsOnly from './topic-tls-only';

/** The SNS rules. */
export const SNS_RULES = [topicKmsEncryption, topicTlsOnly];
