import { Aws, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IKeyRing, KeyPurpose, KeyRing } from './key-ring';

/** The interface endpoints a private model network needs: SageMaker, image pulls, credentials, logs, metrics, keys. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = [
  'sagemaker.api', 'sagemaker.runtime', 'ecr.api', 'ecr.dkr', 'sts', 'logs', 'monitoring', 'kms',
];

/** Interface endpoint services by short name (`sagemaker.runtime`), from the catalogue aws-cdk-lib ships. */
const AWS_SERVICES: ReadonlyMap<string, ec2.InterfaceVpcEndpointAwsService> = new Map(
  Object.values(ec2.InterfaceVpcEndpointAwsService)
    .filter((s): s is ec2.InterfaceVpcEndpointAwsService => s instanceof ec2.InterfaceVpcEndpointAwsService)
    .map((s) => [s.shortName, s]),
);

const MIN_AZS = 2;
const MAX_AZS = 6;
const HTTPS = ec2.Port.tcp(443);

/** Properties of a `PrivateNetwork`. */
export interface PrivateNetworkProps {
  /**
   * An existing VPC (an organisation's shared network). The construct then adds what it can to it: the interface
   * endpoints, the S3 gateway endpoint and a flow log. It cannot restrict the default security group of a VPC it
   * does not create (`ec2.IVpc` does not expose it): do that where the VPC is defined. `maxAzs`, `cidr` and
   * `allowInternetEgress` describe a new VPC and may not be combined with it.
   * @default - a new VPC with isolated subnets only
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets that carry model traffic and the interface endpoints.
   * @default - the VPC's isolated subnets (`SubnetType.PRIVATE_ISOLATED`)
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Availability zones of a new VPC, 2 to 6 (two keep endpoints and models up when one zone fails).
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * IPv4 CIDR block of a new VPC, a prefix of /16 to /24.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Interface endpoints to create, by service short name (`sagemaker.runtime`, `ecr.dkr`: the names of
   * `ec2.InterfaceVpcEndpointAwsService`). Pass `[]` for a VPC that already has them (a second endpoint with
   * private DNS for the same service fails to deploy).
   * @default DEFAULT_INTERFACE_ENDPOINTS (sagemaker.api, sagemaker.runtime, ecr.api, ecr.dkr, sts, logs, monitoring, kms)
   */
  readonly interfaceEndpoints?: string[];
  /**
   * Whether to add the S3 gateway endpoint to the route tables of `subnets`. Turn off for a VPC whose route tables
   * already route S3 through a gateway endpoint.
   * @default true
   */
  readonly s3GatewayEndpoint?: boolean;
  /**
   * Give a new VPC public subnets (no public IP on launch), NAT gateways and private subnets with egress, besides
   * the isolated ones. A relaxation: model traffic in `subnets` stays isolated, but anything placed in the egress
   * subnets can reach the internet.
   * @default false - no public subnets, no internet gateway, no NAT
   */
  readonly allowInternetEgress?: boolean;
  /**
   * Where the flow log key comes from (its LOGS purpose key). Not with `flowLogKey`.
   * @default - a `KeyRing` created for this network
   */
  readonly keys?: IKeyRing;
  /**
   * The key that encrypts the flow log group. Its policy must let `logs.<region>.amazonaws.com` use it. Not with `keys`.
   * @default - the LOGS key of `keys`
   */
  readonly flowLogKey?: kms.IKey;
  /**
   * How long flow log events are kept: at least a year (PCI DSS 10.5.1), never `INFINITE` (which declares no retention).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A VPC for model traffic that never leaves AWS's network: isolated subnets (no route to an internet gateway or
 * NAT), interface endpoints for SageMaker, ECR, STS, CloudWatch Logs and metrics and KMS, and the S3 gateway
 * endpoint, each with a policy that admits only this account's principals. A flow log of all traffic goes to a
 * KMS-encrypted log group with a year's retention; the default security group loses its rules.
 *
 * Under the hood the default security group is emptied by CDK's `Custom::VpcRestrictDefaultSG` resource (a
 * Lambda function whose role may only revoke and authorize rules of that one group): CloudFormation has no
 * property for it.
 *
 * @example
 * const network = new PrivateNetwork(this, 'Network');
 * const modelSg = network.securityGroupFor('Model', 'SageMaker model containers');
 */
export class PrivateNetwork extends Construct {
  /** The VPC (created, or the one passed in). */
  public readonly vpc: ec2.IVpc;
  /** The subnets for models and endpoints. */
  public readonly isolatedSubnets: ec2.SubnetSelection;
  /** The security group of the interface endpoints: HTTPS from the VPC's CIDR block, no egress. */
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The interface endpoints, by service short name. */
  public readonly interfaceEndpoints: { readonly [service: string]: ec2.InterfaceVpcEndpoint };
  /** The S3 gateway endpoint, unless `s3GatewayEndpoint` is false. */
  public readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  /** The flow log group. */
  public readonly flowLogGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps = {}) {
    super(scope, id);
    validate(this.node.path, props);

    this.vpc = props.vpc ?? this.createVpc(props);
    this.isolatedSubnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    const cidr = props.vpc ? props.vpc.vpcCidrBlock : (props.cidr ?? ec2.Vpc.DEFAULT_CIDR_RANGE);
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: `Interface endpoints of ${this.node.path}: HTTPS from the VPC`,
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(ec2.Peer.ipv4(cidr), HTTPS, 'HTTPS to the interface endpoints from the VPC');
    this.endpointSecurityGroup = endpointSg;

    const endpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
    for (const name of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId(name), {
        vpc: this.vpc,
        service: AWS_SERVICES.get(name)!,
        subnets: this.isolatedSubnets,
        securityGroups: [endpointSg],
        privateDnsEnabled: true,
        open: false,
      });
      endpoint.addToPolicy(ownAccountOnly());
      if (name === 'sts') endpoint.addToPolicy(federationIntoOwnRoles());
      endpoints[name] = endpoint;
    }
    this.interfaceEndpoints = endpoints;

    if (props.s3GatewayEndpoint ?? true) {
      this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', {
        vpc: this.vpc,
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [this.isolatedSubnets],
      });
      this.s3Endpoint.addToPolicy(ownAccountOnly());
      this.s3Endpoint.addToPolicy(ecrImageLayers());
      this.s3Endpoint.addToPolicy(customResourceResponses());
    }

    this.flowLogGroup = this.createFlowLog(props);
  }

  /**
   * A security group in this network with no egress but HTTPS to the interface endpoints. Add what else the
   * workload needs explicitly (for S3 through the gateway endpoint: egress 443 to the region's S3 prefix list).
   */
  public securityGroupFor(id: string, description: string): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, id, { vpc: this.vpc, description, allowAllOutbound: false });
    sg.connections.allowTo(this.endpointSecurityGroup, HTTPS, 'HTTPS to the interface endpoints');
    return sg;
  }

  private createVpc(props: PrivateNetworkProps): ec2.Vpc {
    const egress = props.allowInternetEgress ?? false;
    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      ...(egress
        ? [
          // NAT gateways only: no instance gets a public IP.
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28, mapPublicIpOnLaunch: false },
          { name: 'Egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        ]
        : []),
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ];
    return new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? ec2.Vpc.DEFAULT_CIDR_RANGE),
      maxAzs: props.maxAzs ?? MIN_AZS,
      subnetConfiguration,
      natGateways: egress ? undefined : 0,
      restrictDefaultSecurityGroup: true,
    });
  }

  private createFlowLog(props: PrivateNetworkProps): logs.LogGroup {
    const key = props.flowLogKey ?? (props.keys ?? new KeyRing(this, 'Keys')).key(KeyPurpose.LOGS);
    const logGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: key,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    // The service may only act for flow logs of this account (confused-deputy protection).
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:vpc-flow-log/*` },
        },
      }),
      description: `Delivers the flow log of ${this.node.path} to its log group`,
    });
    // A customer managed policy rather than CDK's inline default policy (HIPAA/NIST/PCI IAMNoInlinePolicy).
    const policy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: `Writes the flow log of ${this.node.path}`,
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup.logGroupArn],
      })],
    });
    const flowLog = new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    flowLog.node.addDependency(policy);
    return logGroup;
  }
}

/** Every action, but only for principals of this account: credentials of other accounts cannot use the endpoint. */
function ownAccountOnly(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'OnlyPrincipalsOfThisAccount',
    principals: [new iam.AnyPrincipal()],
    actions: ['*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
  });
}

/**
 * Web identity and SAML federation (EKS service accounts, workforce sign-in) carries no AWS principal, so it is
 * admitted by what it reaches instead: only roles of this account.
 */
function federationIntoOwnRoles(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'FederationIntoRolesOfThisAccount',
    principals: [new iam.AnyPrincipal()],
    actions: ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'],
    resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/*`],
  });
}

/** ECR serves image layers from an AWS-owned bucket through pre-signed URLs of another account. */
function ecrImageLayers(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'EcrImageLayers',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [`arn:${Aws.PARTITION}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`],
  });
}

/**
 * Custom-resource handlers in the VPC (the EKS kubectl provider) answer CloudFormation with a PUT to a pre-signed URL
 * of an AWS-owned response bucket; without this the deployment waits for the custom resource to time out.
 */
function customResourceResponses(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'CloudFormationCustomResourceResponses',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [`arn:${Aws.PARTITION}:s3:::cloudformation-custom-resource-response-${Aws.REGION}*/*`],
  });
}

/** `sagemaker.runtime` -> `SagemakerRuntimeEndpoint` (construct ids are part of the contract). */
function endpointId(name: string): string {
  return `${name.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Endpoint`;
}

function validate(path: string, props: PrivateNetworkProps): void {
  const problems = new ProblemCollector(path, 'PrivateNetwork');
  if (props.vpc) {
    for (const prop of ['maxAzs', 'cidr', 'allowInternetEgress'] as const) {
      problems.check(props[prop] !== undefined, prop, props[prop], 'nothing when vpc is given (it describes a new VPC)', `remove ${prop}, or remove vpc to create one`);
    }
  }
  const azs = props.maxAzs;
  if (azs !== undefined && !Token.isUnresolved(azs)) {
    problems.check(!Number.isInteger(azs) || azs < MIN_AZS || azs > MAX_AZS, 'maxAzs', azs, `a whole number from ${MIN_AZS} to ${MAX_AZS}`, `use ${MIN_AZS} (or more for more resilience)`);
  }
  if (props.cidr !== undefined && !Token.isUnresolved(props.cidr)) {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(props.cidr);
    const valid = match !== null && match.slice(1, 5).every((o) => Number(o) <= 255) && Number(match[5]) >= 16 && Number(match[5]) <= 24;
    problems.check(!valid, 'cidr', props.cidr, 'an IPv4 CIDR block with a prefix of /16 to /24', `use a private range such as '${ec2.Vpc.DEFAULT_CIDR_RANGE}'`);
  }
  const names = props.interfaceEndpoints ?? [];
  const unknown = names.filter((n) => !AWS_SERVICES.has(n));
  problems.check(unknown.length > 0, 'interfaceEndpoints', unknown, 'service short names of ec2.InterfaceVpcEndpointAwsService (e.g. sagemaker.runtime, ecr.dkr, logs)', 'correct the names; for another endpoint service call vpc.addInterfaceEndpoint yourself');
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  problems.check(duplicates.length > 0, 'interfaceEndpoints', duplicates, 'each service once', 'remove the duplicates');
  problems.check(props.keys !== undefined && props.flowLogKey !== undefined, 'flowLogKey', 'both keys and flowLogKey', 'one of keys or flowLogKey', 'pass flowLogKey, or keys to use its LOGS key, not both');
  const retention = props.flowLogRetention;
  if (retention !== undefined) {
    problems.check(
      retention === logs.RetentionDays.INFINITE || retention < logs.RetentionDays.ONE_YEAR, 'flowLogRetention',
      retention === logs.RetentionDays.INFINITE ? 'RetentionDays.INFINITE' : `${retention} days`,
      'at least RetentionDays.ONE_YEAR (PCI DSS 10.5.1 keeps audit logs 12 months); not INFINITE, which declares no retention (MLOPS-LOGS-002)',
      'use logs.RetentionDays.ONE_YEAR or longer',
    );
  }
  problems.throwIfAny();
}
