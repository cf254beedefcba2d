import type { Rule } from '../../../rule';
import clusterPrivateEndpoint from './cluster-private-endpoint';
import clusterSecretsEncryption from './cluster-secrets-encryption';
import clusterControlPlaneLogging from './cluster-control-plane-logging';
import clusterSupportedVersion from './cluster-supported-version';

/** The EKS rules. */
export const EKS_RULES: Rule[] = [clusterPrivateEndpoint, clusterSecretsEncryption, clusterControlPlaneLogging, clusterSupportedVersion];
