import { EvaluationContext, Unresolvable } from '../../../context';
import type { RenderedResource } from '../../../document';
import { defineRule, fail, pass, RuleOutcome } from '../../../rule';
import {
  LAUNCH_TEMPLATE, launchTemplate, NODEGROUP, nodegroup, nodegroupHasVisibleLaunchTemplate, nodegroupsUsing, NOT_A_NODE_TEMPLATE,
} from './node-launch-templates';

const BASE = 'Properties/LaunchTemplateData/BlockDeviceMappings';
const KEY_ARN = { 'Fn::GetAtt': ['VolumeKey', 'Arn'] };
const KEY = { VolumeKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } };
const encrypted = (DeviceName: string) => ({ DeviceName, Ebs: { Encrypted: true, KmsKeyId: KEY_ARN, VolumeType: 'gp3' } });

/**
 * The EBS devices an EKS AMI type boots with: Bottlerocket keeps the OS and the data volume (images, pod storage)
 * apart, Amazon Linux has one root volume, Windows boots from /dev/sda1.
 */
export function nodeVolumeDevices(amiType: string): readonly string[] | undefined {
  if (amiType.startsWith('BOTTLEROCKET_')) return ['/dev/xvda', '/dev/xvdb'];
  if (amiType.startsWith('AL2023_') || amiType.startsWith('AL2_')) return ['/dev/xvda'];
  if (amiType.startsWith('WINDOWS_')) return ['/dev/sda1'];
  return undefined;
}

/** The devices the node groups using a launch template boot with, and the node groups whose AMI type is unknown. */
function requiredDevices(users: readonly RenderedResource[], ctx: EvaluationContext): { devices: Set<string>; unknown: string[] } {
  const devices = new Set<string>();
  const unknown: string[] = [];
  for (const user of users) {
    let amiType: string | undefined;
    try {
      amiType = ctx.string(user.properties.AmiType, `${user.logicalId}/Properties/AmiType`);
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
    }
    const forAmi = amiType === undefined ? undefined : nodeVolumeDevices(amiType);
    if (forAmi) forAmi.forEach((d) => devices.add(d));
    else unknown.push(`${user.logicalId} (AmiType ${amiType ?? 'unset or unresolvable'})`);
  }
  return { devices, unknown };
}

/** MLOPS-EKS-012: every EBS volume a node boots with is encrypted with a customer-managed key. */
export default defineRule({
  id: 'MLOPS-EKS-012',
  title: 'EKS node volumes are encrypted with a customer-managed KMS key',
  resourceTypes: [LAUNCH_TEMPLATE, NODEGROUP],
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'Node volumes hold the container images (model weights baked into them), emptyDir caches, logs and whatever a ' +
    'model server spills to disk. Volumes the launch template does not map are created from the AMI snapshot and ' +
    'are encrypted only if the account turned on EBS encryption by default, with a key the template does not show; ' +
    'a customer-managed key makes reading a detached volume or snapshot depend on a key grant that is logged and revocable.',
  fix:
    'In the node group\'s launch template map every device of the AMI (Bottlerocket: /dev/xvda and /dev/xvdb; Amazon ' +
    'Linux 2023: /dev/xvda) with Ebs {Encrypted: true, KmsKeyId: <key ARN>} (AWS::EC2::LaunchTemplate ' +
    'LaunchTemplateData.BlockDeviceMappings; CDK ec2.CfnLaunchTemplate blockDeviceMappings); the key policy must let ' +
    'the AWSServiceRoleForAutoScaling service-linked role use the key and create grants for AWS resources.',
  references: [
    'AWS Config ec2-ebs-encryption-by-default',
    'https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html',
    'https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html',
  ],
  scenarios: [
    {
      name: 'Bottlerocket OS and data volumes encrypted with a key of the template',
      expect: 'pass',
      resource: launchTemplate({ BlockDeviceMappings: [encrypted('/dev/xvda'), encrypted('/dev/xvdb')] }),
      others: { Nodes: nodegroup(), ...KEY },
    },
    {
      name: 'AL2023 root volume encrypted',
      expect: 'pass',
      resource: launchTemplate({ BlockDeviceMappings: [encrypted('/dev/xvda')] }),
      others: { Nodes: nodegroup({ AmiType: 'AL2023_x86_64_NVIDIA' }), ...KEY },
    },
    {
      name: 'Bottlerocket data volume only (the OS volume comes from the AMI snapshot)',
      expect: 'fail',
      resource: launchTemplate({ BlockDeviceMappings: [encrypted('/dev/xvdb')] }),
      others: { Nodes: nodegroup(), ...KEY },
    },
    {
      name: 'encrypted with the AWS managed key',
      expect: 'fail',
      resource: launchTemplate({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true } }, encrypted('/dev/xvdb')] }),
      others: { Nodes: nodegroup(), ...KEY },
    },
    {
      name: 'not encrypted',
      expect: 'fail',
      resource: launchTemplate({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { KmsKeyId: KEY_ARN } }] }),
      others: { Nodes: nodegroup({ AmiType: 'AL2023_x86_64_STANDARD' }), ...KEY },
    },
    { name: 'no block device mappings', expect: 'fail', resource: launchTemplate({}), others: { Nodes: nodegroup() } },
    {
      name: 'custom AMI: the mapped volumes are checked, with a note',
      expect: 'pass',
      resource: launchTemplate({ ImageId: 'ami-0123456789abcdef0', BlockDeviceMappings: [encrypted('/dev/xvda')] }),
      others: { Nodes: nodegroup({ AmiType: 'CUSTOM' }), ...KEY },
    },
    { name: 'launch template no node group uses', expect: 'not-applicable', resource: launchTemplate({}) },
    {
      name: 'encryption from a parameter',
      expect: 'unresolvable',
      resource: launchTemplate({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: { Ref: 'Encrypt' }, KmsKeyId: KEY_ARN } }] }),
      others: { Nodes: nodegroup({ AmiType: 'AL2023_x86_64_NVIDIA' }), ...KEY },
    },
    { name: 'node group without a launch template (DiskSize volume)', expect: 'fail', resource: nodegroup({ LaunchTemplate: undefined, DiskSize: 100 }) },
    { name: 'node group with a launch template of this template', expect: 'pass', resource: nodegroup({}, 'NodeTemplate'), others: { NodeTemplate: launchTemplate({}) } },
  ],
  evaluate(resource, ctx) {
    if (resource.type === NODEGROUP) {
      return nodegroupHasVisibleLaunchTemplate(resource, ctx, 'its volumes are encrypted only if the account turned on EBS encryption by default, with a key the template does not name');
    }
    const users = nodegroupsUsing(resource, ctx);
    if (users.length === 0) return NOT_A_NODE_TEMPLATE;
    const data = ctx.literal(resource.properties.LaunchTemplateData, 'Properties/LaunchTemplateData') ?? {};
    const mappings = ctx.array(data.BlockDeviceMappings, BASE) ?? [];
    const outcomes: RuleOutcome[] = [];
    const mapped = new Set<string>();
    mappings.forEach((item, i) => {
      const path = `${BASE}/${i}`;
      const mapping = ctx.literal(item, path) ?? {};
      const device = ctx.string(mapping.DeviceName, `${path}/DeviceName`);
      if (ctx.isAbsent(mapping.Ebs)) return; // instance store or NoDevice: not an EBS volume
      const ebs = ctx.literal(mapping.Ebs, `${path}/Ebs`) ?? {};
      if (device) mapped.add(device);
      if (ctx.bool(ebs.Encrypted, `${path}/Ebs/Encrypted`) !== true) {
        outcomes.push(fail(`${path}/Ebs/Encrypted`, `${device ?? 'the volume'} is not encrypted (Encrypted is not true)`));
      } else if (!ctx.isPresent(ebs.KmsKeyId, `${path}/Ebs/KmsKeyId`)) {
        outcomes.push(fail(`${path}/Ebs/KmsKeyId`, `${device ?? 'the volume'} has no KmsKeyId: it is encrypted with the AWS managed aws/ebs key, which cannot be scoped or revoked`));
      }
    });
    const { devices, unknown } = requiredDevices(users, ctx);
    const missing = [...devices].filter((d) => !mapped.has(d));
    if (missing.length > 0) {
      outcomes.push(fail(BASE, `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not mapped: the AMI creates ${missing.length === 1 ? 'it' : 'them'} from its snapshot, encrypted only by the account's EBS default, if at all`));
    } else if (mapped.size === 0 && devices.size === 0) {
      outcomes.push(fail(BASE, 'the launch template maps no EBS volume: the node volumes come from the AMI, encrypted only by the account\'s EBS default, if at all'));
    }
    if (outcomes.length > 0) return outcomes;
    return unknown.length > 0
      ? pass(`the AMI of ${unknown.join(', ')} is not an EKS AMI type: only the mapped volumes (${[...mapped].join(', ')}) were checked`)
      : pass();
  },
});
