import bucketEncryptionKms from './bucket-encryption-kms';

/** The S3 rules. */
export const S3_RULES = [bucketEncryptionKms];
