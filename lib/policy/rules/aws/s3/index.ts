import bucketAccessLogging from './bucket-access-logging';
import bucketEncryptionKms from './bucket-encryption-kms';
import bucketPublicAccessBlock from './bucket-public-access-block';
import bucketTlsOnly from './bucket-tls-only';
import bucketVersioning from './bucket-versioning';
import trailBucketObjectLock from './trail-bucket-object-lock';

/** The S3 rules. */
export const S3_RULES = [bucketEncryptionKms, bucketPublicAccessBlock, bucketTlsOnly, bucketVersioning, bucketAccessLogging, trailBucketObjectLock];
