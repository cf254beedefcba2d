import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cdk8s from 'cdk8s';
import { NodeAmiType } from '../../../constructs/eks/node-ami-type';
import { ServingCluster, ServingClusterProps, SYNTH_DATE_CONTEXT } from '../../../constructs/eks/serving-cluster';
import { PrivateNetwork } from '../../../constructs/security/private-network';
import { acknowledgmentLines, findingLines, nagFindings } from '../../compliance-harness';
import { FIXTURE_DATE } from '../../policy/rule-harness';
import { errorOf } from '../security/construct-test-helpers';
import { complianceWithEksRules } from './eks-test-helpers';

// Versions are judged on the fixture date, not the clock.
const newApp = () => new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
// One cluster with default props for every default and compliance test.
const stack = new Stack(newApp(), 'Serving');
const network = new PrivateNetwork(stack, 'Network');
const serving = new ServingCluster(stack, 'Cluster', { vpc: network.vpc });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, any>;
const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const keyArn = (purpose: string) => ({ 'Fn::GetAtt': [logicalId(serving.node.findChild('Keys').node.findChild(purpose) as never), 'Arn'] });
const isolatedSubnets = network.vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId));
const clusterId = logicalId(serving.cluster);

describe('ServingCluster defaults', () => {
  test('is a native AWS::EKS::Cluster running Kubernetes 1.35 in the isolated subnets', () => {
    template.resourceCountIs('AWS::EKS::Cluster', 1);
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.35', ResourcesVpcConfig: Match.objectLike({ SubnetIds: isolatedSubnets }) });
    expect(serving.kubernetesVersion).toBe('1.35');
  });

  test('exposes the API on a private endpoint only', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }) });
  });

  test('envelope-encrypts Secrets with the DATA key', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { EncryptionConfig: [{ Provider: { KeyArn: keyArn('Data') }, Resources: ['secrets'] }] });
  });

  test('sends all five control-plane log types to its own log group: LOGS key, a year, retained, created first', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
    });
    const logGroupId = logicalId(serving.logGroup);
    expect(resources[logGroupId]).toMatchObject({
      Properties: { LogGroupName: `/aws/eks/${serving.clusterName}/cluster`, KmsKeyId: keyArn('Logs'), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    expect(resources[clusterId].DependsOn).toContain(logGroupId);
  });

  test('grants access by access entries only, with no admin for the deploying principal and no kubectl Lambda', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false } });
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r).includes('kubectl'))).toEqual([]);
  });

  test('runs no Auto Mode and no default capacity: a system node group of 2 to 4 m6i.large Bottlerocket nodes', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: false } });
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      AmiType: 'BOTTLEROCKET_x86_64', InstanceTypes: ['m6i.large'], ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 },
      CapacityType: 'ON_DEMAND', Labels: { 'regulated-mlops.io/node-role': 'system' }, Subnets: isolatedSubnets,
      RemoteAccess: Match.absent(), DiskSize: Match.absent(), Taints: Match.absent(),
    });
  });

  test('launches nodes with IMDSv2 required, a hop limit of 1, no SSH key and no network interfaces', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 } }),
    });
    const data = Object.values(resources).find((r) => r.Type === 'AWS::EC2::LaunchTemplate').Properties.LaunchTemplateData;
    expect(Object.keys(data).sort()).toEqual(['BlockDeviceMappings', 'MetadataOptions']);
  });

  test('encrypts the Bottlerocket OS and data volumes with the DATA key', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, KmsKeyId: keyArn('Data'), VolumeType: 'gp3', DeleteOnTermination: true } },
          { DeviceName: '/dev/xvdb', Ebs: { Encrypted: true, KmsKeyId: keyArn('Data'), VolumeType: 'gp3', DeleteOnTermination: true, VolumeSize: 50 } },
        ],
      }),
    });
  });

  test('lets the Auto Scaling service-linked role use the volume key, and create grants for AWS resources only', () => {
    const statements = resources[logicalId(serving.node.findChild('Keys').node.findChild('Data') as never)].Properties.KeyPolicy.Statement;
    const byArn = { StringEquals: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling']] } } };
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Sid: 'AutoScalingCreatesNodeVolumes', Principal: { AWS: '*' }, Condition: byArn }),
      expect.objectContaining({ Sid: 'AutoScalingAttachesNodeVolumes', Action: 'kms:CreateGrant', Condition: { ...byArn, Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
    ]));
  });

  test('gives nodes a role with written statements, no AWS managed policy, attached before the nodes join', () => {
    const roleId = logicalId(serving.nodeRole);
    expect(resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    const policy = Object.entries(resources).find(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))!;
    expect(policy[1].Properties.PolicyDocument.Statement.map((s: any) => s.Sid)).toEqual([
      'DescribeNetworkAndInstances', 'JoinThisCluster', 'PodIdentityOfThisCluster', 'PodNetworkInterfaces', 'TagPodNetworkInterfaces', 'RegistryLogin', 'PullImages',
    ]);
    expect(policy[1].Properties.PolicyDocument.Statement[1].Resource).toEqual({ 'Fn::GetAtt': [clusterId, 'Arn'] });
    expect(resources[logicalId(serving.systemNodeGroup.nodegroup)].DependsOn).toContain(policy[0]);
  });

  test('turns on NetworkPolicy enforcement in the VPC CNI', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni', ConfigurationValues: '{"enableNetworkPolicy":"true"}', ResolveConflicts: 'OVERWRITE', ClusterName: { Ref: clusterId },
    });
  });

  test('refuses add-ons and charts without the kubectl Lambda, saying how to get one', () => {
    const error = errorOf(() => serving.addHelmChart('Chart', { chart: 'x', repository: 'https://example.com', version: '1.0.0' }));
    expect(error.message).toContain('Serving/Cluster:kubectl: received false; allowed: true to apply Helm charts through CloudFormation. Fix: set kubectl: true');
  });
});

describe('ServingCluster props', () => {
  const app = newApp();
  const propsStack = new Stack(app, 'Props');
  const propsNetwork = new PrivateNetwork(propsStack, 'Network');
  const admin = iam.Role.fromRoleArn(propsStack, 'PlatformAdmin', 'arn:aws:iam::111122223333:role/platform-admin');
  const auditor = iam.Role.fromRoleArn(propsStack, 'Auditor', 'arn:aws:iam::111122223333:role/auditor');
  const cluster = new ServingCluster(propsStack, 'Cluster', {
    vpc: propsNetwork.vpc,
    clusterName: 'fraud-serving',
    adminRoles: [admin],
    auditorRoles: [auditor],
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
    publicEndpointAcknowledgment: { reason: 'Break-glass access from the SOC network during the VPN migration', approvedBy: 'ciso-office', ticket: 'RISK-42', expires: '2027-01-31' },
    logRetention: logs.RetentionDays.TWO_YEARS,
    networkPolicies: false,
    systemNodeGroup: { amiType: NodeAmiType.BOTTLEROCKET_X86_64_FIPS, instanceTypes: [new ec2.InstanceType('m7i.xlarge')], minSize: 3, maxSize: 6 },
    gpuNodeGroups: {
      'al2023-l4': { instanceTypes: [new ec2.InstanceType('g6.xlarge')], amiType: NodeAmiType.AL2023_X86_64_NVIDIA, minSize: 0, maxSize: 2, volumeSize: 300 },
    },
  });
  cluster.addGpuNodeGroup('fips', {
    instanceTypes: [new ec2.InstanceType('g5.2xlarge'), new ec2.InstanceType('g5.4xlarge')],
    amiType: NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA_FIPS, minSize: 1, desiredSize: 2, maxSize: 4, labels: { team: 'fraud' },
  });
  const cdk8sApp = new cdk8s.App();
  const chart = new cdk8s.Chart(cdk8sApp, 'Serving');
  // A namespace that passes the Kubernetes rules, which read the chart in the template.
  new cdk8s.ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fraud', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
  new cdk8s.ApiObject(chart, 'DefaultDeny', {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'fraud' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const attached = cluster.addCdk8sChart('ServingChart', chart);
  const props = Template.fromStack(propsStack);
  const propsResources = props.toJSON().Resources as Record<string, any>;
  const policyArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks::aws:cluster-access-policy/${name}`]] });

  test('adminRoles and auditorRoles get cluster-scoped access entries: cluster admin and view (no Secrets)', () => {
    props.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111122223333:role/platform-admin',
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: policyArn('AmazonEKSClusterAdminPolicy') }],
    });
    props.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111122223333:role/auditor',
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: policyArn('AmazonEKSViewPolicy') }],
    });
  });

  test('an AL2023 GPU group brings the NVIDIA device plugin, hence the kubectl Lambda, whose role is the only other admin', () => {
    props.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'nvidia-device-plugin', Version: '0.18.2', Namespace: 'nvidia-device-plugin' });
    const kubectlRole = { 'Fn::GetAtt': [propsStack.getLogicalId(cluster.node.findChild('KubectlRole').node.defaultChild as never), 'Arn'] };
    props.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: kubectlRole, AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: policyArn('AmazonEKSClusterAdminPolicy') }] });
    props.resourceCountIs('AWS::EKS::AccessEntry', 3);
  });

  test('the kubectl Lambda runs in the isolated subnets, logs to an encrypted log group and has no AWS managed policy', () => {
    const handler = Object.values(propsResources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === 'onEvent handler for EKS kubectl resource provider');
    expect(handler.Properties.VpcConfig.SubnetIds).toEqual(propsNetwork.vpc.isolatedSubnets.map((s) => propsStack.resolve(s.subnetId)));
    const logGroupId = propsStack.getLogicalId(cluster.node.findChild('KubectlLogs').node.defaultChild as never);
    expect(handler.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(propsResources[logGroupId].Properties).toMatchObject({ KmsKeyId: expect.anything(), RetentionInDays: 731 });
    const roleId = propsStack.getLogicalId(cluster.node.findChild('KubectlRole').node.defaultChild as never);
    expect(propsResources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    expect(propsResources[roleId].Properties.Policies).toBeUndefined();
  });

  test('a public endpoint with its acknowledgment is recorded against MLOPS-EKS-001', () => {
    props.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] }),
    });
    expect(acknowledgmentLines(complianceWithEksRules(propsStack))).toContain('MLOPS-EKS-001@Props/Cluster/Resource/Resource (ciso-office)');
  });

  test('clusterName and logRetention name and keep the logs; networkPolicies false leaves the bootstrap VPC CNI', () => {
    props.hasResourceProperties('AWS::EKS::Cluster', { Name: 'fraud-serving' });
    props.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/fraud-serving/cluster', RetentionInDays: 731 });
    props.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'vpc-cni' }, 0);
  });

  test('GPU groups are tainted and labelled for the model server, with FIPS and AL2023 AMI types and their volumes', () => {
    props.hasResourceProperties('AWS::EKS::Nodegroup', {
      AmiType: 'BOTTLEROCKET_x86_64_NVIDIA_FIPS', InstanceTypes: ['g5.2xlarge', 'g5.4xlarge'], ScalingConfig: { MinSize: 1, DesiredSize: 2, MaxSize: 4 },
      Taints: [{ Key: 'nvidia.com/gpu', Value: 'true', Effect: 'NO_SCHEDULE' }],
      Labels: { team: 'fraud', 'regulated-mlops.io/node-role': 'gpu', 'regulated-mlops.io/gpu-node-group': 'fips', 'nvidia.com/gpu.present': 'true' },
    });
    props.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'AL2023_x86_64_NVIDIA', ScalingConfig: { MinSize: 0, DesiredSize: 0, MaxSize: 2 } });
    const al2023 = cluster.gpuNodeGroup('al2023-l4')!;
    expect(propsResources[propsStack.getLogicalId(al2023.launchTemplate)].Properties.LaunchTemplateData.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: expect.objectContaining({ Encrypted: true, VolumeSize: 300 }) },
    ]);
    expect(propsStack.getLogicalId(al2023.nodegroup.node.defaultChild as never)).toMatch(/^ClusterGpuNodeGroupAl2023L4/);
  });

  test('systemNodeGroup sets the system nodes: FIPS Bottlerocket, instance types, sizes', () => {
    props.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'BOTTLEROCKET_x86_64_FIPS', InstanceTypes: ['m7i.xlarge'], ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 6 } });
  });

  test('addCdk8sChart applies a cdk8s chart through the kubectl Lambda', () => {
    expect(JSON.parse(propsResources[propsStack.getLogicalId(attached.node.defaultChild as never)].Properties.Manifest)).toEqual([
      expect.objectContaining({ apiVersion: 'v1', kind: 'Namespace', metadata: expect.objectContaining({ name: 'fraud' }) }),
      expect.objectContaining({ kind: 'NetworkPolicy', metadata: expect.objectContaining({ name: 'default-deny', namespace: 'fraud' }) }),
    ]);
  });

  test('passes every pack with the public endpoint acknowledged; cdk-nag finds nothing', () => {
    const result = complianceWithEksRules(propsStack);
    expect(findingLines(result)).toEqual([]);
    // The device plugin's namespace is privileged (an automatic, reasoned exception) and denies all traffic by default.
    expect(acknowledgmentLines(result)).toEqual([
      'MLOPS-EKS-001@Props/Cluster/Resource/Resource (ciso-office)', 'MLOPS-K8S-005@Props/Cluster/Resource/manifest-NvidiaDevicePluginNamespace (automatic)',
    ]);
    expect(nagFindings(propsStack)).toEqual([]);
  });

  test('records the privileged device-plugin namespace as an acknowledgment of MLOPS-K8S-005 on the namespace itself', () => {
    const manifest = Object.values(propsResources).find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(r.Properties.Manifest).includes('"name":"nvidia-device-plugin"'));
    const [namespace] = JSON.parse(manifest.Properties.Manifest);
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(JSON.parse(namespace.metadata.annotations['regulated-mlops.io/acknowledgments'])).toEqual([expect.objectContaining({
      ruleId: 'MLOPS-K8S-005', approvedBy: 'regulated-mlops (automatic)', automatic: true, reason: expect.stringContaining('device-plugin socket'),
    })]);
    expect(manifest.Metadata['regulated-mlops:acknowledgments']).toEqual([expect.objectContaining({ ruleId: 'MLOPS-K8S-005', automatic: true })]);
  });
});

describe('ServingCluster validation', () => {
  const bad = (props: Partial<ServingClusterProps>) => () => {
    const s = new Stack(newApp(), 'Bad');
    const vpc = new PrivateNetwork(s, 'Network').vpc;
    return new ServingCluster(s, 'Cluster', { vpc, ...props });
  };
  const g5 = [new ec2.InstanceType('g5.xlarge')];

  test('fails if a node group uses an Amazon Linux 2 AMI, naming the end of support and the fix', () => {
    const error = errorOf(bad({ gpuNodeGroups: { inference: { instanceTypes: g5, amiType: NodeAmiType.of(eks.NodegroupAmiType.AL2_X86_64_GPU) } } }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Bad/Cluster:gpuNodeGroups.inference.amiType: received 'AL2_x86_64_GPU'; allowed: Bottlerocket or Amazon Linux 2023 AMI types. Fix: Amazon Linux 2 AMIs reached end of support on 2025-11-26: use NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA");
  });

  test('fails if a GPU node group gets an instance type without GPUs, or an accelerator that is not NVIDIA', () => {
    const error = errorOf(bad({ gpuNodeGroups: { inference: { instanceTypes: [new ec2.InstanceType('m6i.xlarge'), new ec2.InstanceType('inf2.xlarge')] } } }));
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      "Bad/Cluster:gpuNodeGroups.inference.instanceTypes 'm6i.xlarge'",
      "Bad/Cluster:gpuNodeGroups.inference.instanceTypes 'inf2.xlarge'",
    ]);
    expect(error.problems[0].fix).toContain('m6i.xlarge has no GPU: pick a GPU type such as g5.xlarge');
    expect(error.problems[1].fix).toContain('inf2.xlarge has AWS Inferentia2, not an NVIDIA GPU');
  });

  test('fails if the instance architecture does not match the AMI type', () => {
    expect(errorOf(bad({ gpuNodeGroups: { arm: { instanceTypes: [new ec2.InstanceType('g5g.xlarge')] } } })).message)
      .toContain("gpuNodeGroups.arm.instanceTypes: received 'g5g.xlarge'; allowed: x86_64 instance types (the architecture of BOTTLEROCKET_x86_64_NVIDIA)");
  });

  test('fails if minSize is above maxSize, or desiredSize outside them', () => {
    const error = errorOf(bad({ gpuNodeGroups: { inference: { instanceTypes: g5, minSize: 3, maxSize: 2 } }, systemNodeGroup: { desiredSize: 9 } }));
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      'Bad/Cluster:systemNodeGroup.desiredSize 9',
      "Bad/Cluster:gpuNodeGroups.inference.minSize 'minSize 3 > maxSize 2'",
    ]);
    expect(error.problems[1].fix).toBe('raise maxSize to at least 3 or lower minSize');
  });

  test('fails if the endpoint is public without an acknowledgment', () => {
    const error = errorOf(bad({ endpointAccess: eks.EndpointAccess.PUBLIC }));
    expect(error.message).toContain("Bad/Cluster:endpointAccess: received 'a public endpoint'; allowed: EndpointAccess.PRIVATE, or a public endpoint with publicEndpointAcknowledgment. Fix: use eks.EndpointAccess.PRIVATE");
  });

  test('refuses an acknowledgment without an approver or expiry', () => {
    const error = errorOf(bad({ endpointAccess: eks.EndpointAccess.PUBLIC, publicEndpointAcknowledgment: { reason: 'Needed for the vendor integration', approvedBy: '', expires: 'soon' } }));
    expect(error.code).toBe('InvalidAcknowledgment');
  });

  test('fails if the version is past EKS extended support', () => {
    expect(errorOf(bad({ version: eks.KubernetesVersion.V1_29 })).message)
      .toContain("Bad/Cluster:version: received '1.29'; allowed: a Kubernetes version in EKS standard or extended support. Fix: Kubernetes 1.29 is past EKS extended support (extended support ended on 2026-03-23)");
  });

  test('judges the version on the synth date of the context: the default 1.35 is refused after 2028-03-27', () => {
    const s = new Stack(new App({ context: { [SYNTH_DATE_CONTEXT]: '2028-03-28' } }), 'Later');
    expect(errorOf(() => new ServingCluster(s, 'Cluster', { vpc: new PrivateNetwork(s, 'Network').vpc })).message)
      .toContain("Later/Cluster:version: received '1.35'");
  });

  test('fails if a version other than 1.35 needs the kubectl Lambda and no kubectlLayer is given, naming the package', () => {
    const error = errorOf(bad({ version: eks.KubernetesVersion.V1_34, kubectl: true }));
    expect(error.message).toContain("Bad/Cluster:kubectlLayer: received nothing (undefined); allowed: the kubectl layer of Kubernetes 1.34 (only @aws-cdk/lambda-layer-kubectl-v35 is a dependency of this library). Fix: npm install @aws-cdk/lambda-layer-kubectl-v34 and pass kubectlLayer: new KubectlV34Layer(this, 'KubectlLayer')");
    expect(() => bad({ version: eks.KubernetesVersion.V1_34, kubectl: true, kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(new Stack(), 'L', 'arn:aws:lambda:eu-west-1:111122223333:layer:kubectl-v34:1') })()).not.toThrow();
  });

  test('fails if the subnets are public, and if an AL2023 group has no kubectl Lambda for its device plugin', () => {
    const s = new Stack(newApp(), 'Bad');
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const error = errorOf(() => new ServingCluster(s, 'Cluster', {
      vpc, vpcSubnets: { subnetGroupName: 'public' }, kubectl: false,
      gpuNodeGroups: { l4: { instanceTypes: [new ec2.InstanceType('g6.xlarge')], amiType: NodeAmiType.AL2023_X86_64_NVIDIA } },
    }));
    expect(error.problems.map((p) => p.path)).toEqual(['Bad/Cluster:kubectl', 'Bad/Cluster:vpcSubnets', 'Bad/Cluster:gpuNodeGroups.l4.amiType']);
    expect(error.problems[1].fix).toContain('nodes in public subnets can get public IPs');
  });

  test('fails if control-plane logs would be kept less than a year', () => {
    expect(errorOf(bad({ logRetention: logs.RetentionDays.SIX_MONTHS })).message).toContain("Bad/Cluster:logRetention: received '180 days'");
  });

  test('warns about a version in extended support and about an imported volume key whose policy it cannot change', () => {
    const s = new Stack(newApp(), 'Warn');
    const cluster = new ServingCluster(s, 'Cluster', {
      vpc: new PrivateNetwork(s, 'Network').vpc, version: eks.KubernetesVersion.V1_32,
      volumeKey: kms.Key.fromKeyArn(s, 'VolumeKey', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    });
    const warnings = cluster.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringContaining('Kubernetes 1.32 is in EKS extended support (standard support ended 2026-03-23)'),
      expect.stringContaining('volumeKey is imported, so its key policy is not changed here'),
    ]);
  });

  test('lists every problem in one error', () => {
    expect(errorOf(bad({
      version: eks.KubernetesVersion.V1_28, endpointAccess: eks.EndpointAccess.PUBLIC, clusterName: '-bad',
      gpuNodeGroups: { 'Bad Name': { instanceTypes: [new ec2.InstanceType('m5.large')], volumeSize: 10 } },
    })).problems).toHaveLength(6);
  });
});

describe('ServingCluster compliance', () => {
  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('defaults pass every pack and the new EKS rules (MLOPS-EKS-010..013), with no acknowledgment', () => {
    const result = complianceWithEksRules(stack);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
  });

  test('cdk-nag finds nothing', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
