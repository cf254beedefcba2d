import type { Rule } from '../../../rule';
import trailMultiRegion from './trail-multi-region';
import trailLogFileValidation from './trail-log-file-validation';
import trailEncryptionKms from './trail-encryption-kms';
import trailCloudWatchLogsDelivery from './trail-cloudwatch-logs-delivery';
import modelBucketsS3DataEvents from './model-buckets-s3-data-events';

/** The CLOUDTRAIL rules. */
export const CLOUDTRAIL_RULES: Rule[] = [trailMultiRegion, trailLogFileValidation, trailEncryptionKms, trailCloudWatchLogsDelivery, modelBucketsS3DataEvents];
