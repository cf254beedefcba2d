import { defineRule, fail, pass } from '../../../rule';
import { EKS_KUBERNETES_VERSIONS, EKS_VERSION_TABLE_DATE, eksSupportStatus, EksVersionSupport } from './kubernetes-versions';

const PATH = 'Properties/Version';
const cluster = (version?: unknown) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/cluster',
    ResourcesVpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], EndpointPublicAccess: false, EndpointPrivateAccess: true },
    ...(version === undefined ? {} : { Version: version }),
  },
});
const toVerify = (s: EksVersionSupport) => (s.verify ? ' (date still to be verified)' : '');

/** MLOPS-EKS-004: the cluster runs a Kubernetes version EKS still supports on the synth date. */
export default defineRule({
  id: 'MLOPS-EKS-004',
  title: 'EKS cluster runs a Kubernetes version in standard or extended support',
  resourceTypes: ['AWS::EKS::Cluster'],
  severity: 'high',
  themes: ['VUL'],
  acknowledgeable: true,
  rationale:
    'A Kubernetes version past EKS extended support gets no security patches for the control plane, and EKS upgrades it ' +
    'on its own schedule, untested. Extended support keeps patches coming for 12 more months at an extra hourly charge ' +
    'and ends in a forced upgrade, so it is allowed but reported.',
  fix:
    'Set version: eks.KubernetesVersion.V1_<minor> on the aws-eks-v2 Cluster (CloudFormation AWS::EKS::Cluster Version) ' +
    'to a version in standard support (reference/kubernetes.md §1) and upgrade one minor version at a time.',
  references: [
    'AWS Config eks-cluster-supported-version',
    'AWS Config eks-cluster-oldest-supported-version',
    'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
  ],
  scenarios: [
    { name: 'version in standard support', expect: 'pass', resource: cluster('1.35'), now: '2026-11-26' },
    { name: 'version in extended support', expect: 'pass', resource: cluster('1.32'), now: '2026-11-26' },
    { name: 'last day of extended support (end dates inclusive)', expect: 'pass', resource: cluster('1.31'), now: '2026-11-26' },
    { name: 'day after extended support ended', expect: 'fail', resource: cluster('1.31'), now: '2026-11-27' },
    { name: 'version past extended support', expect: 'fail', resource: cluster('1.30'), now: '2026-11-26' },
    { name: 'version older than the table', expect: 'fail', resource: cluster('1.24'), now: '2026-11-26' },
    { name: 'version newer than the table', expect: 'pass', resource: cluster('1.36'), now: '2026-11-26' },
    { name: 'version unset (CloudFormation picks the default)', expect: 'pass', resource: cluster(), now: '2026-11-26' },
    { name: 'version that is not a version', expect: 'fail', resource: cluster('latest'), now: '2026-11-26' },
    { name: 'version from a parameter', expect: 'unresolvable', resource: cluster({ Ref: 'KubernetesVersion' }), now: '2026-11-26' },
  ],
  evaluate(resource, ctx) {
    const version = ctx.string(resource.properties.Version, PATH);
    if (version === undefined) {
      return pass('Version is unset: CloudFormation creates the cluster with the current EKS default version; pin Version so upgrades are deliberate');
    }
    const today = ctx.now.toISOString().slice(0, 10);
    const status = eksSupportStatus(version, today);
    switch (status.phase) {
      case 'standard':
        return pass();
      case 'extended':
        return pass(
          `Kubernetes ${version} is in EKS extended support until ${status.support.endOfExtendedSupport}${toVerify(status.support)} ` +
            `(standard support ended ${status.support.endOfStandardSupport}): it costs extra per cluster hour, and EKS ` +
            `auto-upgrades the cluster after ${status.support.endOfExtendedSupport}`,
        );
      case 'ended':
        return fail(
          PATH,
          `Kubernetes ${version} is out of support: EKS extended support ended on ${status.support.endOfExtendedSupport}` +
            `${toVerify(status.support)}: the control plane gets no security patches and EKS auto-upgrades existing clusters`,
        );
      case 'newer-than-table':
        return pass(`Kubernetes ${version} is not in the table of ${EKS_VERSION_TABLE_DATE}; assumed supported`);
      case 'older-than-table': {
        const oldest = EKS_KUBERNETES_VERSIONS[0];
        return fail(
          PATH,
          `Kubernetes ${version} is older than ${oldest.version}, the oldest version in the table, whose extended support ` +
            `ended on ${oldest.endOfExtendedSupport}${toVerify(oldest)}`,
        );
      }
      case 'not-a-version':
        return fail(PATH, `Version "${version}" is not a Kubernetes version (expected <major>.<minor>, e.g. 1.34)`);
    }
  },
});
