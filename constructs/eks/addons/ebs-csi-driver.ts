import { Aws, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IClusterAddon, IServingCluster } from '../cluster-addon';

/** Properties of an `EbsCsiDriver`. */
export interface EbsCsiDriverProps {
  /**
   * The EKS add-on version (`v1.45.0-eksbuild.1`).
   * @default - the version EKS makes the default for the cluster's Kubernetes version at creation
   */
  readonly addonVersion?: string;
  /**
   * Name of the StorageClass it creates.
   * @default 'encrypted-gp3'
   */
  readonly storageClassName?: string;
}

/** What EBS needs of the volume key on the caller's behalf, without wildcards. */
export const VOLUME_KEY_ACTIONS = [
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey',
];

/** The tag the driver puts on every volume and snapshot it creates; its permissions are scoped to it. */
const CLUSTER_TAG = 'ebs.csi.aws.com/cluster';

/**
 * The Amazon EBS CSI driver (EKS managed add-on) with its own role through EKS Pod Identity, and a StorageClass of
 * gp3 volumes encrypted with the cluster's volume key (Retain on delete, bound when the pod is scheduled).
 * Persistent volumes need it: the in-tree EBS provisioner is gone since Kubernetes 1.27.
 */
export class EbsCsiDriver implements IClusterAddon {
  /** The StorageClass name, for PersistentVolumeClaims. */
  public readonly storageClassName: string;
  private boundStorageClass?: eks.KubernetesManifest;

  /** The StorageClass manifest, once bound: charts with persistent volumes depend on it. */
  public get storageClass(): eks.KubernetesManifest | undefined {
    return this.boundStorageClass;
  }

  constructor(private readonly props: EbsCsiDriverProps = {}) {
    this.storageClassName = props.storageClassName ?? 'encrypted-gp3';
  }

  public bind(cluster: IServingCluster): void {
    const scope = new Construct(cluster, 'EbsCsiDriver');
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `EBS CSI controller of ${cluster.node.path} (EKS Pod Identity)`,
    });
    // Pod Identity tags the session with the pod's attributes.
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
      actions: ['sts:TagSession'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
    const ec2Arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const tagged = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'true' } };
    const policy = new iam.ManagedPolicy(scope, 'Policy', {
      description: `Volumes of the EBS CSI driver of ${cluster.node.path}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'Describe',
          actions: [
            'ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeTags',
            'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'CreateOnlyTaggedVolumes',
          actions: ['ec2:CreateVolume'],
          resources: [ec2Arn('volume/*')],
          conditions: { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'TagOnCreate',
          actions: ['ec2:CreateTags'],
          resources: [ec2Arn('volume/*'), ec2Arn('snapshot/*')],
          conditions: { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot'] } },
        }),
        new iam.PolicyStatement({
          sid: 'ManageOwnVolumes',
          actions: ['ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume', 'ec2:DeleteVolume', 'ec2:CreateSnapshot'],
          resources: [ec2Arn('volume/*')],
          conditions: tagged,
        }),
        new iam.PolicyStatement({
          sid: 'AttachToInstances',
          actions: ['ec2:AttachVolume', 'ec2:DetachVolume'],
          resources: [ec2Arn('instance/*')],
        }),
        new iam.PolicyStatement({
          sid: 'ManageOwnSnapshots',
          actions: ['ec2:CreateSnapshot', 'ec2:DeleteSnapshot'],
          resources: [ec2Arn('snapshot/*')],
          conditions: tagged,
        }),
        new iam.PolicyStatement({
          sid: 'UseVolumeKey',
          actions: VOLUME_KEY_ACTIONS,
          resources: [cluster.volumeKey.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'GrantVolumeKeyToEbs',
          actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          resources: [cluster.volumeKey.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      ],
    });
    const ec2Resource = (type: string) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:${type}/*]`;
    const nag: Record<string, string> = {
      'AwsSolutions-IAM5[Resource::*]': 'EBS CSI policy: the ec2:Describe* calls the driver makes support no resource-level permissions',
      [ec2Resource('volume')]: 'EBS CSI policy: volumes get their ids at creation; creating requires, and attaching, modifying, snapshotting and deleting are limited to, the ebs.csi.aws.com/cluster tag the driver sets',
      [ec2Resource('snapshot')]: 'EBS CSI policy: snapshots get their ids at creation; creating and deleting are limited to snapshots tagged ebs.csi.aws.com/cluster, tagging to the create calls',
      [ec2Resource('instance')]: 'EBS CSI policy: volumes attach to whichever node the pod lands on, an instance of this account and region',
    };
    for (const [id, reason] of Object.entries(nag)) Validations.of(policy).acknowledge({ id, reason });
    cluster.grantVolumeKeyUse(role, 'EbsCsiDriverUsesVolumeKey');

    const addon = new eks.Addon(scope, 'Addon', { cluster: cluster.cluster, addonName: 'aws-ebs-csi-driver', addonVersion: this.props.addonVersion });
    const association = new eks.CfnPodIdentityAssociation(scope, 'PodIdentity', {
      clusterName: cluster.cluster.clusterName,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      roleArn: role.roleArn,
    });
    // The agent hands the role to the pods; the association must exist before the controller starts.
    const agent = cluster.cluster.eksPodIdentityAgent;
    if (agent) association.node.addDependency(agent);
    addon.node.addDependency(association);

    this.boundStorageClass = cluster.addManifest('EncryptedStorageClass', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: this.storageClassName },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: cluster.volumeKey.keyArn },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    this.boundStorageClass.node.addDependency(addon);
  }
}
