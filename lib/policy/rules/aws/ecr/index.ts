import repositoryImmutableTags from './repository-immutable-tags';
import repositoryKmsEncryption from './repository-kms-encryption';
import repositoryLifecyclePolicy from './repository-lifecycle-policy';
import repositoryPolicyNotPublic from './repository-policy-not-public';
import repositoryScanOnPush from './repository-scan-on-push';

/** The ECR rules, in id order. */
export const ECR_RULES = [repositoryKmsEncryption, repositoryScanOnPush, repositoryImmutableTags, repositoryLifecyclePolicy, repositoryPolicyNotPublic];
