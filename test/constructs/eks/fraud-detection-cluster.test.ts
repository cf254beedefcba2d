import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ArgoRollouts } from '../../../constructs/eks/addons/argo-rollouts';
import { DcgmExporter } from '../../../constructs/eks/addons/dcgm-exporter';
import { IstioMesh } from '../../../constructs/eks/addons/istio-mesh';
import { KubePrometheusStack } from '../../../constructs/eks/addons/kube-prometheus-stack';
import { ServingCluster, SERVING_CLUSTER_INTERFACE_ENDPOINTS, SYNTH_DATE_CONTEXT } from '../../../constructs/eks/serving-cluster';
import { DEFAULT_INTERFACE_ENDPOINTS, PrivateNetwork } from '../../../constructs/security/private-network';
import { acknowledgmentLines, findingLines, nagFindings } from '../../compliance-harness';
import { FIXTURE_DATE } from '../../policy/rule-harness';
import { complianceWithEksRules, NEW_EKS_RULES } from './eks-test-helpers';

/** The fraud-detection scenario's serving cluster: the README shows the body of this constructor. */
class FraudDetectionClusterStack extends Stack {
  public readonly cluster: ServingCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const platformAdmin = iam.Role.fromRoleArn(this, 'PlatformAdmin', 'arn:aws:iam::111122223333:role/platform-admin');
    const auditor = iam.Role.fromRoleArn(this, 'Auditor', 'arn:aws:iam::111122223333:role/model-risk-auditor');
    // README: begin
    const network = new PrivateNetwork(this, 'Network', {
      interfaceEndpoints: [...DEFAULT_INTERFACE_ENDPOINTS, ...SERVING_CLUSTER_INTERFACE_ENDPOINTS],
    });
    const prometheus = new KubePrometheusStack({ retention: '90d' });
    this.cluster = new ServingCluster(this, 'FraudCluster', {
      vpc: network.vpc,
      adminRoles: [platformAdmin],
      auditorRoles: [auditor],
      gpuNodeGroups: {
        inference: { instanceTypes: [new ec2.InstanceType('g5.xlarge')], minSize: 1, maxSize: 4 },
      },
      addons: [new IstioMesh(), prometheus, new ArgoRollouts(), new DcgmExporter({ prometheus })],
    });
    // README: end
  }
}

const stack = new FraudDetectionClusterStack(new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } }), 'FraudDetection');
const template = Template.fromStack(stack);

describe('fraud-detection serving cluster', () => {
  test('has a g5 GPU node group beside the system nodes', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 2);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      AmiType: 'BOTTLEROCKET_x86_64_NVIDIA', InstanceTypes: ['g5.xlarge'], ScalingConfig: { MinSize: 1, DesiredSize: 1, MaxSize: 4 },
      Taints: [{ Key: 'nvidia.com/gpu', Value: 'true', Effect: 'NO_SCHEDULE' }],
    });
  });

  test('installs every add-on: Istio (base, CNI, istiod), kube-prometheus-stack, Argo Rollouts, the DCGM exporter', () => {
    const charts = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart')).map((r) => r.Properties.Chart).sort();
    expect(charts).toEqual(['argo-rollouts', 'base', 'cni', 'dcgm-exporter', 'istiod', 'kube-prometheus-stack']);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver' });
  });

  test('passes every pack and the new EKS rules, with only the add-on namespaces\' automatic acknowledgments', () => {
    expect(NEW_EKS_RULES.map((r) => r.id)).toEqual(['MLOPS-EKS-010', 'MLOPS-EKS-011', 'MLOPS-EKS-012', 'MLOPS-EKS-013']);
    const result = complianceWithEksRules(stack);
    expect(findingLines(result)).toEqual([]);
    // Only the add-on namespaces' automatic, reasoned exceptions: a Pod Security level below restricted (MLOPS-K8S-005)
    // and traffic no NetworkPolicy describes yet (MLOPS-K8S-004).
    const namespaceExceptions = (ids: string, namespace: string) => ids.split(',').map((n) => `MLOPS-K8S-00${n}@FraudDetection/FraudCluster/Resource/manifest-${namespace}Namespace (automatic)`);
    expect(acknowledgmentLines(result)).toEqual([
      ...namespaceExceptions('4,5', 'IstioSystem'), ...namespaceExceptions('4,5', 'IstioCni'), ...namespaceExceptions('4,5', 'Monitoring'),
      ...namespaceExceptions('4,5', 'NodeExporter'), ...namespaceExceptions('4', 'ArgoRollouts'), ...namespaceExceptions('4,5', 'GpuMonitoring'),
    ]);
    const evaluated = new Set(result.resources.flatMap((r) => r.evaluations.map((e) => e.ruleId)));
    for (const id of ['MLOPS-EKS-001', 'MLOPS-EKS-002', 'MLOPS-EKS-003', 'MLOPS-EKS-004', ...NEW_EKS_RULES.map((r) => r.id)]) expect(evaluated).toContain(id);
  });

  test('passes cdk-nag\'s four packs, with reasoned acknowledgments only', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
