import { CustomResource, Duration, Stack, Token, TokenComparison, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { handlerCode } from '../private/handler-asset';
import { IKeyRing, KeyPurpose, KeyRing } from '../security/key-ring';
import { IApprovedModel } from './i-approved-model';
import { IModelRegistry } from './i-model-registry';
import { APPROVED_MODEL_RESOURCE_TYPE } from '../../lib/policy/rules/aws/sagemaker/model-image-pinned';
import { acknowledgeWildcardResources, LIST_WILDCARD_REASON, readerStatements, VERSIONS_WILDCARD_REASON } from './registry-permissions';

/** Properties of an `ApprovedModel`. */
export interface ApprovedModelProps {
  /** The registry to resolve the version from (a group of another account through `ModelRegistry.fromModelPackageGroupArn`). */
  readonly registry: IModelRegistry;
  /**
   * A version to deploy instead of the newest approved one (a rollback, a pinned release). The deployment fails
   * unless that version is `Approved`.
   * @default - the newest approved version of the group
   */
  readonly modelPackageVersion?: number;
  /**
   * Any value that changes when the version to serve may have changed: the version number or event id of the
   * approval that triggered the pipeline. CloudFormation only calls the resolver when a property of the resource
   * changes, so without a changed token a redeploy keeps the version resolved last time. No timestamp is ever
   * put into the template (synth stays repeatable). A stack rollback resolves again with the previous properties:
   * with only a token that is the newest approved version at rollback time; pin `modelPackageVersion` (from the
   * approval event) for rollbacks that return to the version served before.
   * @default - resolved on creation and whenever `registry` or `modelPackageVersion` change
   */
  readonly approvalToken?: string;
  /**
   * The digest (`sha256:` and 64 hex digits) of an image a consumer pins at synth instead of using `imageUri`, such as
   * a Kubernetes chart: the deployment fails unless the resolved approved version runs exactly this image. Make the
   * consumer depend on this construct so it is applied only after the check.
   * @default - no check: the consumer uses `imageUri`
   */
  readonly requiredImageDigest?: string;
  /**
   * A VPC to run the resolver in (it calls only the SageMaker API, through the VPC's `sagemaker.api` endpoint).
   * The provider framework's function stays outside it (see the class documentation).
   * @default - the resolver runs outside a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The resolver's subnets, with `vpc`.
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The resolver's security groups, with `vpc`.
   * @default - one security group allowing only HTTPS to the VPC's CIDR block (the interface endpoints)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The key for the functions' log group. Not with `keys`.
   * @default - the LOGS key of `keys`, or of a `KeyRing` created here
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * The key ring to take the LOGS key from. Not with `logEncryptionKey`.
   * @default - a `KeyRing` created here (child 'Keys')
   */
  readonly keys?: IKeyRing;
  /**
   * How long the functions' logs are kept; at least a year.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The CloudFormation type of the resolver's custom resource. */
export { APPROVED_MODEL_RESOURCE_TYPE };

/**
 * The model version to serve, resolved at deploy time: the newest `Approved` version of a registry group (or a
 * named version, refused unless approved), with its image pinned by digest and its model data URL. A group with
 * no approved version fails the deployment with a message saying so. Nothing is looked up at synth (no AWS
 * credentials are needed there); the attributes are tokens the endpoint's model consumes.
 *
 * Under the hood: a custom resource (`Custom::RegulatedMlopsApprovedModel`, the type rule MLOPS-SM-023 trusts as digest-pinned) backed by the CDK provider framework and a Node.js 22
 * function using `@aws-sdk/client-sagemaker` (ListModelPackages newest first, every page, then DescribeModelPackage),
 * with reserved concurrency 1, a KMS-encrypted log group kept a year, and a role that may only read this group.
 * The resource's physical id is the version's ARN, so a newly approved version replaces it and the resources that
 * use its attributes are updated. CloudFormation only runs the resolver when a property changes: pass
 * `approvalToken` from the pipeline to pick up a new approval.
 *
 * The provider framework's function is AWS code (aws-cdk-lib): it only invokes the resolver and answers
 * CloudFormation's pre-signed S3 URL, so it runs outside the VPC (an isolated subnet can reach neither the Lambda API
 * nor that AWS-owned bucket through an endpoint limited to this account); its cdk-nag findings are acknowledged.
 *
 * @example
 * const model = new ApprovedModel(this, 'Serving', { registry, approvalToken: app.node.tryGetContext('approval') });
 * // model.imageUri, model.modelDataUrl -> the endpoint's model
 */
export class ApprovedModel extends Construct implements IApprovedModel {
  public readonly modelPackageArn: string;
  public readonly imageUri: string;
  public readonly modelDataUrl: string;
  public readonly modelPackageGroupName: string;
  /** The resolved version number. */
  public readonly modelPackageVersion: string;
  /** The resolver function. */
  public readonly resolverFunction: lambda.Function;
  /** The log group of the resolver and the provider framework. */
  public readonly logGroup: logs.ILogGroup;
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ApprovedModelProps) {
    super(scope, id);
    validate(this.node.path, props);
    const { registry } = props;

    const logKey = props.logEncryptionKey ?? (props.keys ?? new KeyRing(this, 'Keys')).key(KeyPurpose.LOGS);
    this.logGroup = new logs.LogGroup(this, 'Logs', { encryptionKey: logKey, retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });

    this.resolverFunction = this.createResolver(props);
    const provider = this.createProvider();

    const properties: Record<string, string> = { ModelPackageGroupName: groupReference(this, registry) };
    if (props.modelPackageVersion !== undefined) properties.ModelPackageArn = registry.modelPackageArn(String(props.modelPackageVersion));
    if (props.approvalToken !== undefined) properties.ApprovalToken = props.approvalToken;
    if (props.requiredImageDigest !== undefined) properties.RequiredImageDigest = props.requiredImageDigest;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: APPROVED_MODEL_RESOURCE_TYPE,
      properties,
    });
    // The group (when it is in this app) exists before it is read.
    this.resource.node.addDependency(registry);

    this.modelPackageArn = this.resource.getAttString('ModelPackageArn');
    this.imageUri = this.resource.getAttString('ImageUri');
    this.modelDataUrl = this.resource.getAttString('ModelDataUrl');
    this.modelPackageVersion = this.resource.getAttString('ModelPackageVersion');
    this.modelPackageGroupName = registry.modelPackageGroupName;
  }

  private createResolver(props: ApprovedModelProps): lambda.Function {
    const role = new iam.Role(this, 'ResolverRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Resolves the approved version of ${props.registry.node.path}: reads that group only`,
    });
    const statements = [...readerStatements(props.registry), this.logStatement()];
    if (props.vpc) statements.push(...networkInterfaceStatements());
    const policy = new iam.ManagedPolicy(this, 'ResolverPolicy', { roles: [role], statements });
    acknowledgeWildcardResources(policy, statements, {
      scoped: VERSIONS_WILDCARD_REASON,
      any: `${LIST_WILDCARD_REASON} In a VPC, Lambda creates and deletes the function's network interfaces with this role; ` +
        'EC2 Describe* calls have no resource-level permissions and the interfaces do not exist before the function does.',
    });

    const securityGroups = props.vpc ? props.securityGroups ?? [this.httpsOnlySecurityGroup(props.vpc)] : undefined;
    const fn = new lambda.Function(this, 'Resolver', {
      // Lambda descriptions are at most 256 characters; a deep construct path would exceed it.
      description: `Resolves the approved model version of ${props.registry.node.path} at deploy time`.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: handlerCode('constructs/registry/approved-model-handler'),
      role,
      timeout: Duration.minutes(2),
      memorySize: 256,
      // One event at a time: CloudFormation sends this resource's events one after another.
      reservedConcurrentExecutions: 1,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : undefined,
      securityGroups,
    });
    // The role's policy must exist before the function is invoked.
    fn.node.addDependency(policy);

    const nag = (id: string, reason: string) => Validations.of(fn).acknowledge({ id, reason });
    const dlq =
      'The provider framework invokes this function synchronously (RequestResponse) and reports its error to ' +
      'CloudFormation, which fails the deployment: there is no asynchronous invocation whose event a dead-letter queue could keep.';
    nag('HIPAA.Security-LambdaDLQ', dlq);
    nag('NIST.800.53.R5-LambdaDLQ', dlq);
    nag('AwsSolutions-L1',
      'The library pins Node.js 22 for its handlers: the handler is compiled and tested against it and uses the AWS SDK v3 ' +
        'that runtime ships. It is a supported Lambda runtime; moving to a newer one is a library release, tested there.');
    if (!props.vpc) {
      const vpc =
        'The resolver only calls the SageMaker API over TLS with its role; pass vpc (e.g. PrivateNetwork.vpc) to run it in ' +
        'isolated subnets through the sagemaker.api endpoint. Left outside a VPC by default so the construct deploys without one.';
      nag('HIPAA.Security-LambdaInsideVPC', vpc);
      nag('NIST.800.53.R5-LambdaInsideVPC', vpc);
      nag('PCI.DSS.321-LambdaInsideVPC', vpc);
    }
    return fn;
  }

  private createProvider(): cr.Provider {
    const role = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `CDK provider framework of ${this.node.path}: invokes the resolver and writes logs`,
    });
    // Everything the framework function needs, in a managed policy: the framework's own grants would go to an inline
    // default policy, so it gets the role without policy updates.
    const resolverArn = this.resolverFunction.functionArn;
    const statements = [
      this.logStatement(),
      new iam.PolicyStatement({ sid: 'InvokeResolver', actions: ['lambda:InvokeFunction'], resources: [resolverArn, `${resolverArn}:*`] }),
      new iam.PolicyStatement({ sid: 'WaitForResolver', actions: ['lambda:GetFunction'], resources: [resolverArn] }),
    ];
    const policy = new iam.ManagedPolicy(this, 'ProviderPolicy', { roles: [role], statements });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.resolverFunction, frameworkOnEventRole: role.withoutPolicyUpdates(), logGroup: this.logGroup,
    });
    const framework = provider.node.findChild('framework-onEvent') as lambda.Function;
    framework.node.addDependency(policy);
    // Bounded like the resolver: it handles this one resource's events.
    (framework.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 1;
    const nag = (id: string, reason: string) => Validations.of(framework).acknowledge({ id, reason });
    const owned = 'AWS-owned code: the aws-cdk-lib custom resource provider framework function.';
    const dlq =
      `${owned} It reports every error of the resolver to CloudFormation as FAILED through the request's pre-signed ` +
      'response URL. If it cannot run at all, CloudFormation fails the resource at its timeout and rolls back (visible ' +
      'in the stack events); the request cannot be replayed later (its response URL expires and the stack moves on), so ' +
      'a dead-letter queue would only keep dead requests.';
    nag('HIPAA.Security-LambdaDLQ', dlq);
    nag('NIST.800.53.R5-LambdaDLQ', dlq);
    const vpc =
      `${owned} It only invokes the resolver (Lambda API) and PUTs the result to CloudFormation's pre-signed URL in an ` +
      'AWS-owned S3 bucket; from isolated subnets neither is reachable (no Lambda endpoint; the S3 endpoint policy admits ' +
      'only this account\'s principals), so it runs outside the VPC and handles no model data.';
    nag('HIPAA.Security-LambdaInsideVPC', vpc);
    nag('NIST.800.53.R5-LambdaInsideVPC', vpc);
    nag('PCI.DSS.321-LambdaInsideVPC', vpc);
    nag('AwsSolutions-L1',
      `${owned} aws-cdk-lib picks its runtime (the newest Node.js it knows to be available in the stack's region), which ` +
        'can trail the newest Lambda runtime in some regions; it moves forward with aws-cdk-lib upgrades.');
    acknowledgeWildcardResources(policy, statements, {
      scoped: 'lambda:InvokeFunction on the resolver\'s versions and aliases (<function ARN>:*), as the provider framework ' +
        'grants it: the one function this framework exists to call.',
    });
    return provider;
  }

  /** Writing to the one log group of this construct. */
  private logStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn],
    });
  }

  private httpsOnlySecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'ResolverSecurityGroup', {
      // Security group descriptions allow no apostrophe and at most 255 characters: no construct path here.
      vpc, description: 'ApprovedModel resolver: HTTPS to the VPC interface endpoints only', allowAllOutbound: false,
    });
    sg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the sagemaker.api interface endpoint');
    return sg;
  }
}

/** What Lambda needs of the execution role to attach a function to a VPC. */
function networkInterfaceStatements(): iam.PolicyStatement[] {
  return [new iam.PolicyStatement({
    sid: 'AttachToVpc',
    actions: [
      'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
    ],
    resources: ['*'],
  })];
}

/**
 * How the API is told the group: its name when it is in this stack's account, else its ARN (the API takes either;
 * a group of another account only by ARN).
 */
function groupReference(scope: Construct, registry: IModelRegistry): string {
  const here = Stack.of(scope).account;
  const there = registry.env.account;
  const same = here === there || Token.compareStrings(here, there) === TokenComparison.SAME;
  return same ? registry.modelPackageGroupName : registry.modelPackageGroupArn;
}

function validate(path: string, props: ApprovedModelProps): void {
  const problems = new ProblemCollector(path, 'ApprovedModel');
  const version = props.modelPackageVersion;
  if (version !== undefined && !Token.isUnresolved(version)) {
    problems.check(!Number.isInteger(version) || version < 1, 'modelPackageVersion', version, 'a version number: a whole number from 1',
      'name a registered version (ListModelPackages shows ModelPackageVersion), or omit it for the newest approved one');
  }
  problems.check(props.logEncryptionKey !== undefined && props.keys !== undefined, 'keys', 'a key ring together with logEncryptionKey',
    'logEncryptionKey or keys, not both', 'pass the key ring as keys, or the key as logEncryptionKey');
  const vpcOnly = (prop: string, given: boolean) => problems.check(given && !props.vpc, prop, 'a value without vpc', 'only with vpc',
    `pass vpc too, or drop ${prop}`);
  vpcOnly('vpcSubnets', props.vpcSubnets !== undefined);
  vpcOnly('securityGroups', props.securityGroups !== undefined);
  const digest = props.requiredImageDigest;
  problems.check(digest !== undefined && !Token.isUnresolved(digest) && !/^sha256:[0-9a-f]{64}$/.test(digest), 'requiredImageDigest', digest,
    "an image digest: 'sha256:' and 64 lowercase hex digits", 'copy the digest docker push or ECR describe-images prints for the approved build');
  const retention = props.logRetention;
  problems.check(retention !== undefined && (retention === logs.RetentionDays.INFINITE || retention < logs.RetentionDays.ONE_YEAR),
    'logRetention', retention === logs.RetentionDays.INFINITE ? 'RetentionDays.INFINITE' : `${retention} days`,
    'at least logs.RetentionDays.ONE_YEAR, and not INFINITE (a declared retention)', 'use logs.RetentionDays.ONE_YEAR or longer');
  problems.throwIfAny();
}
