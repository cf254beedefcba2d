import { defineRule, fail, pass, unresolvable } from '../../../rule';
import { NODEGROUP, nodegroup } from './node-launch-templates';

const PATH = 'Properties/AmiType';
/** The day Amazon Linux 2 EKS-optimized AMIs stopped getting updates (reference/kubernetes.md §3). */
const AL2_END_OF_SUPPORT = '2025-11-26';

/** MLOPS-EKS-011: managed node groups run a supported node OS, not Amazon Linux 2. */
export default defineRule({
  id: 'MLOPS-EKS-011',
  title: 'EKS managed node groups use no Amazon Linux 2 AMI type',
  resourceTypes: [NODEGROUP],
  severity: 'high',
  themes: ['VUL'],
  acknowledgeable: true,
  rationale:
    `Amazon Linux 2 EKS-optimized AMIs (AL2_x86_64, AL2_x86_64_GPU, AL2_ARM_64) reached end of support on ${AL2_END_OF_SUPPORT}: ` +
    'no kernel, driver or container-runtime patches, and no AMIs for new Kubernetes versions. GPU node groups still ' +
    'default to AL2 in CDK unless amiType is set.',
  fix:
    'Set amiType on the node group (AWS::EKS::Nodegroup AmiType) to a Bottlerocket type (BOTTLEROCKET_x86_64, ' +
    'BOTTLEROCKET_x86_64_NVIDIA, their _FIPS variants) or an Amazon Linux 2023 type (AL2023_x86_64_STANDARD, ' +
    'AL2023_x86_64_NVIDIA, which also needs the NVIDIA device plugin).',
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/eks-ami-deprecation-faqs.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html',
  ],
  scenarios: [
    { name: 'Bottlerocket NVIDIA', expect: 'pass', resource: nodegroup() },
    { name: 'AL2023 NVIDIA', expect: 'pass', resource: nodegroup({ AmiType: 'AL2023_x86_64_NVIDIA' }) },
    { name: 'AL2 GPU', expect: 'fail', resource: nodegroup({ AmiType: 'AL2_x86_64_GPU' }) },
    { name: 'AL2 ARM', expect: 'fail', resource: nodegroup({ AmiType: 'AL2_ARM_64' }) },
    { name: 'AmiType unset (EKS picks by cluster version and instance type)', expect: 'fail', resource: nodegroup({ AmiType: undefined }) },
    { name: 'custom AMI', expect: 'unresolvable', resource: nodegroup({ AmiType: 'CUSTOM' }) },
    { name: 'AmiType from a parameter', expect: 'unresolvable', resource: nodegroup({ AmiType: { Ref: 'AmiType' } }) },
  ],
  evaluate(resource, ctx) {
    const amiType = ctx.string(resource.properties.AmiType, PATH);
    if (amiType === undefined) {
      return fail(PATH, 'AmiType is unset: EKS picks the AMI from the cluster version and instance types, which can be Amazon Linux 2 on older cluster versions; set it explicitly');
    }
    if (amiType === 'CUSTOM') {
      return unresolvable(PATH, 'AmiType is CUSTOM: the operating system of the launch template\'s own AMI cannot be read from the template');
    }
    if (amiType.startsWith('AL2_')) {
      return fail(PATH, `AmiType is ${amiType}: Amazon Linux 2 AMIs reached end of support on ${AL2_END_OF_SUPPORT} and get no security updates`);
    }
    return pass();
  },
});
