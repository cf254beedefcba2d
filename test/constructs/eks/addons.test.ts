import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ArgoRollouts } from '../../../constructs/eks/addons/argo-rollouts';
import { DcgmExporter } from '../../../constructs/eks/addons/dcgm-exporter';
import { EbsCsiDriver } from '../../../constructs/eks/addons/ebs-csi-driver';
import { IstioMesh } from '../../../constructs/eks/addons/istio-mesh';
import { KubePrometheusStack } from '../../../constructs/eks/addons/kube-prometheus-stack';
import { NvidiaDevicePlugin } from '../../../constructs/eks/addons/nvidia-device-plugin';
import { PINNED_CHARTS } from '../../../constructs/eks/addons/versions';
import { NodeAmiType } from '../../../constructs/eks/node-ami-type';
import { ServingCluster, SYNTH_DATE_CONTEXT } from '../../../constructs/eks/serving-cluster';
import { PrivateNetwork } from '../../../constructs/security/private-network';
import { kubernetesDocument } from '../../../lib/policy/document';
import { PolicyEngine } from '../../../lib/policy/engine';
import { K8S_POD_SECURITY } from '../../../lib/policy/packs/k8s-pod-security';
import { RULE_CATALOG } from '../../../lib/policy/rules/catalog';
import { FIXTURE_DATE } from '../../policy/rule-harness';
import { errorOf } from '../security/construct-test-helpers';

// One cluster with every add-on, in non-default settings, for every add-on test. The DCGM exporter comes first and
// binds the Prometheus it refers to: binding follows references, not list order.
const stack = new Stack(new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } }), 'Addons');
const network = new PrivateNetwork(stack, 'Network');
const storage = new EbsCsiDriver({ storageClassName: 'encrypted-gp3-retain', addonVersion: 'v1.45.0-eksbuild.1' });
const prometheus = new KubePrometheusStack({
  retention: '90d', storageSize: Size.gibibytes(200), ebsCsiDriver: storage, grafanaAdminSecret: 'grafana-from-secrets-manager',
  scrapeAnnotatedPods: true, values: { prometheus: { prometheusSpec: { retention: '1d', replicas: 2 } } },
});
const mesh = new IstioMesh({ ingressGateway: true, imageHub: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/istio', repository: 'oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/helm' });
const devicePlugin = new NvidiaDevicePlugin();
const serving = new ServingCluster(stack, 'Cluster', {
  vpc: network.vpc,
  gpuNodeGroups: { inference: { instanceTypes: [new ec2.InstanceType('g5.xlarge')], amiType: NodeAmiType.AL2023_X86_64_NVIDIA } },
  addons: [new DcgmExporter({ prometheus }), mesh, prometheus, storage, new ArgoRollouts(), devicePlugin],
});
serving.addAddon(mesh);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, any>;
const idOf = (construct: { node: { defaultChild?: unknown } } | undefined) => stack.getLogicalId(construct!.node.defaultChild as never);
const charts = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart');
const chart = (name: string) => {
  const found = charts.find(([, r]) => r.Properties.Chart === name);
  if (!found) throw new Error(`no ${name} chart`);
  return { id: found[0], props: found[1].Properties, values: JSON.parse(found[1].Properties.Values ?? '{}'), dependsOn: found[1].DependsOn as string[] };
};
const manifests = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
  .map(([id, r]) => ({ id, objects: JSON.parse(typeof r.Properties.Manifest === 'string' ? r.Properties.Manifest : '[]') as any[], dependsOn: r.DependsOn as string[] }));
const namespace = (name: string) => {
  const found = manifests.find((m) => m.objects[0]?.kind === 'Namespace' && m.objects[0].metadata.name === name);
  if (!found) throw new Error(`no namespace ${name}`);
  return { id: found.id, object: found.objects[0], level: found.objects[0].metadata.labels['pod-security.kubernetes.io/enforce'] };
};
const systemNodes = idOf(serving.systemNodeGroup.nodegroup);

describe('Helm charts', () => {
  test('every chart is pinned to the exact version of PINNED_CHARTS, never a range', () => {
    const pinned = Object.values(PINNED_CHARTS);
    expect(charts).toHaveLength(8);
    for (const [, r] of charts) {
      expect(pinned).toContainEqual(expect.objectContaining({ chart: r.Properties.Chart, version: r.Properties.Version }));
      expect(r.Properties.Version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  test('every chart waits for the system nodes and its namespace, and none creates its namespace', () => {
    for (const [, r] of charts) {
      expect(r.DependsOn).toContain(systemNodes);
      expect(r.Properties.CreateNamespace).toBeUndefined();
      expect(r.DependsOn).toContain(namespace(r.Properties.Namespace).id);
    }
  });

  test('the same add-on bound twice is installed once', () => {
    expect(charts.filter(([, r]) => r.Properties.Chart === 'istiod')).toHaveLength(1);
  });
});

describe('IstioMesh', () => {
  test('installs base, CNI, istiod in order, from the mirror repository, with the mirrored image hub', () => {
    const [base, cni, istiod] = [chart('base'), chart('cni'), chart('istiod')];
    expect(cni.dependsOn).toContain(base.id);
    expect(istiod.dependsOn).toEqual(expect.arrayContaining([base.id, cni.id]));
    for (const c of [base, cni, istiod, chart('gateway')]) expect(c.props.Repository).toBe('oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/helm');
    expect(cni.values.global.hub).toBe('111122223333.dkr.ecr.eu-west-1.amazonaws.com/istio');
    expect(istiod.values.global.hub).toBe('111122223333.dkr.ecr.eu-west-1.amazonaws.com/istio');
  });

  test('istiod: CNI instead of NET_ADMIN init containers, REGISTRY_ONLY egress, metrics merging; waits until ready', () => {
    const istiod = chart('istiod');
    expect(istiod.values).toMatchObject({
      pilot: { cni: { enabled: true } },
      meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, enablePrometheusMerge: true },
    });
    expect([istiod.props.Wait, istiod.props.Timeout]).toEqual([true, '600s']);
  });

  test('applies mesh-wide STRICT mTLS in the root namespace once istiod answers', () => {
    const mtls = manifests.find((m) => m.objects[0]?.kind === 'PeerAuthentication')!;
    expect(mtls.objects[0]).toMatchObject({ apiVersion: 'security.istio.io/v1', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } });
    expect(mtls.dependsOn).toContain(chart('istiod').id);
  });

  test('ingressGateway adds a gateway behind an internal NLB in its own namespace', () => {
    const gateway = chart('gateway');
    expect(gateway.props.Namespace).toBe('istio-ingress');
    expect(gateway.values.service).toEqual({
      type: 'LoadBalancer',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true', 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    });
  });

  test('namespaces: istio-system baseline, the CNI agent alone in a privileged one', () => {
    expect([namespace('istio-system').level, namespace('istio-cni').level, namespace('istio-ingress').level]).toEqual(['baseline', 'privileged', 'baseline']);
    expect(chart('cni').props.Namespace).toBe('istio-cni');
  });
});

describe('KubePrometheusStack', () => {
  const values = chart('kube-prometheus-stack').values;

  test('keeps samples for the retention on an encrypted volume, and the add-on wins over user values', () => {
    expect(values.prometheus.prometheusSpec).toMatchObject({
      retention: '90d', replicas: 2,
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: 'encrypted-gp3-retain', resources: { requests: { storage: '200Gi' } } } } },
    });
    expect(values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName).toBe('encrypted-gp3-retain');
  });

  test('gives Grafana no default admin password and no anonymous access', () => {
    expect(values.grafana.admin).toEqual({ existingSecret: 'grafana-from-secrets-manager', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(values.grafana['grafana.ini']['auth.anonymous']).toEqual({ enabled: false });
    expect(JSON.stringify(values)).not.toContain('prom-operator');
  });

  test('scrapeAnnotatedPods scrapes the Istio merged metrics endpoints the sidecars advertise', () => {
    expect(values.prometheus.prometheusSpec.additionalScrapeConfigs).toEqual([expect.objectContaining({
      job_name: 'kubernetes-pods-istio-merged', kubernetes_sd_configs: [{ role: 'pod' }],
    })]);
  });

  test('runs node exporter alone in a privileged namespace; the rest of monitoring enforces baseline', () => {
    expect(values['prometheus-node-exporter']).toEqual({ namespaceOverride: 'monitoring-node-exporter' });
    expect([namespace('monitoring').level, namespace('monitoring-node-exporter').level]).toEqual(['baseline', 'privileged']);
  });

  test('installs after the encrypted StorageClass', () => {
    expect(chart('kube-prometheus-stack').dependsOn).toContain(idOf(storage.storageClass));
    expect(prometheus.releaseName).toBe('kube-prometheus-stack');
  });

  test('fails if retention is not a Prometheus duration', () => {
    const s = new Stack(new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } }), 'Bad');
    const cluster = new ServingCluster(s, 'Cluster', { vpc: new PrivateNetwork(s, 'Network').vpc, kubectl: true });
    expect(errorOf(() => cluster.addAddon(new KubePrometheusStack({ retention: '30 days' }))).message)
      .toContain("Bad/Cluster/KubePrometheusStack:retention: received '30 days'; allowed: a Prometheus duration such as 30d, 12w or 1y");
  });
});

describe('EbsCsiDriver', () => {
  test('is the EKS managed add-on with its own role through Pod Identity, created after the association', () => {
    const roleId = idOf(serving.node.findChild('EbsCsiDriver').node.findChild('Role') as never);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system', ServiceAccount: 'ebs-csi-controller-sa', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver', AddonVersion: 'v1.45.0-eksbuild.1' });
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement.map((s: any) => [s.Principal.Service, s.Action])).toEqual([
      ['pods.eks.amazonaws.com', 'sts:AssumeRole'], ['pods.eks.amazonaws.com', 'sts:TagSession'],
    ]);
  });

  test('may create, change and delete only volumes it tags, and use the volume key only for AWS resources', () => {
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && String(r.Properties.Description).startsWith('Volumes of the EBS CSI driver'));
    const statements = Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((s: any) => [s.Sid, s]));
    expect(statements.CreateOnlyTaggedVolumes.Condition).toEqual({ StringEquals: { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' } });
    expect(statements.ManageOwnVolumes.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/ebs.csi.aws.com/cluster': 'true' } });
    expect(statements.GrantVolumeKeyToEbs.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('the StorageClass encrypts gp3 volumes with the volume key and retains them', () => {
    const rendered = JSON.stringify(resources[idOf(storage.storageClass)].Properties.Manifest);
    expect(rendered).toContain('\\"provisioner\\":\\"ebs.csi.aws.com\\"');
    expect(rendered).toContain('\\"encrypted\\":\\"true\\"');
    expect(rendered).toContain('\\"reclaimPolicy\\":\\"Retain\\"');
    expect(rendered).toContain(`{"Fn::GetAtt":["${stack.getLogicalId(serving.node.findChild('Keys').node.findChild('Data').node.defaultChild as never)}","Arn"]}`);
  });
});

describe('ArgoRollouts, NvidiaDevicePlugin, DcgmExporter', () => {
  test('Argo Rollouts: CRDs, no dashboard, restricted security contexts, in a restricted namespace', () => {
    const argo = chart('argo-rollouts');
    expect(argo.values).toMatchObject({
      installCRDs: true, dashboard: { enabled: false },
      controller: { replicas: 2, containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } },
    });
    expect(namespace('argo-rollouts').level).toBe('restricted');
    // Restricted, so no Pod Security exception; its traffic is not described by NetworkPolicies yet, which is recorded.
    expect(JSON.parse(namespace('argo-rollouts').object.metadata.annotations['regulated-mlops.io/acknowledgments']).map((a: any) => a.ruleId)).toEqual(['MLOPS-K8S-004']);
  });

  test('the NVIDIA device plugin\'s namespace denies all traffic by default: the plugin only talks to the kubelet through a host socket', () => {
    const deviceNamespace = manifests.find((m) => m.objects[0]?.kind === 'Namespace' && m.objects[0].metadata.name === 'nvidia-device-plugin')!;
    expect(deviceNamespace.objects[1]).toEqual({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: expect.objectContaining({ name: 'default-deny', namespace: 'nvidia-device-plugin' }),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(JSON.parse(deviceNamespace.objects[0].metadata.annotations['regulated-mlops.io/acknowledgments']).map((a: any) => a.ruleId)).toEqual(['MLOPS-K8S-005']);
  });

  test('NVIDIA device plugin and DCGM exporter run on GPU nodes only, tolerating the GPU taint, each alone in a privileged namespace', () => {
    for (const name of ['nvidia-device-plugin', 'dcgm-exporter']) {
      expect(chart(name).values).toMatchObject({
        nodeSelector: { 'regulated-mlops.io/node-role': 'gpu' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      });
    }
    expect([namespace('nvidia-device-plugin').level, namespace('gpu-monitoring').level]).toEqual(['privileged', 'privileged']);
    expect(charts.filter(([, r]) => r.Properties.Namespace === 'gpu-monitoring').map(([, r]) => r.Properties.Chart)).toEqual(['dcgm-exporter']);
  });

  test('DCGM exporter gets a ServiceMonitor for the Prometheus it was given, after that chart', () => {
    const dcgm = chart('dcgm-exporter');
    expect(dcgm.values.serviceMonitor).toEqual({ enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } });
    expect(dcgm.dependsOn).toContain(chart('kube-prometheus-stack').id);
  });

  test('an explicit NvidiaDevicePlugin is the one an AL2023 GPU group brings, installed once', () => {
    expect(charts.filter(([, r]) => r.Properties.Chart === 'nvidia-device-plugin')).toHaveLength(1);
    expect(devicePlugin.chart).toBeDefined();
  });
});

describe('privileged namespaces and MLOPS-K8S-005', () => {
  test('the acknowledgment on a privileged namespace holds when the rendered namespace is checked', () => {
    const objects = manifests.filter((m) => m.objects[0]?.kind === 'Namespace').map((m) => m.objects[0]);
    const result = new PolicyEngine({ catalog: RULE_CATALOG, packs: [K8S_POD_SECURITY] })
      .evaluate([kubernetesDocument(objects, 'namespaces.yaml')], new Date(FIXTURE_DATE));
    expect(result.findings).toEqual([]);
    expect(result.acknowledged.map((a) => a.resource.logicalId).sort()).toEqual([
      'Namespace/gpu-monitoring', 'Namespace/istio-cni', 'Namespace/istio-ingress', 'Namespace/istio-system',
      'Namespace/monitoring', 'Namespace/monitoring-node-exporter', 'Namespace/nvidia-device-plugin',
    ]);
  });
});
