import type { Rule } from '../../../rule';
import clusterPrivateEndpoint from './cluster-private-endpoint';
import clusterSecretsEncryption from './cluster-secrets-encryption';
import clusterControlPlaneLogging from './cluster-control-plane-logging';
import clusterSupportedVersion from './cluster-supported-version';
import nodeLaunchTemplateImdsv2 from './node-launch-template-imdsv2';
import nodegroupNoAl2Ami from './nodegroup-no-al2-ami';
import nodeVolumesEncryptedKms from './node-volumes-encrypted-kms';
import clusterAccessEntriesOnly from './cluster-access-entries-only';

/** The EKS rules. */
export const EKS_RULES: Rule[] = [clusterPrivateEndpoint, clusterSecretsEncryption, clusterControlPlaneLogging, clusterSupportedVersion, nodeLaunchTemplateImdsv2, nodegroupNoAl2Ami, nodeVolumesEncryptedKms, clusterAccessEntriesOnly];
