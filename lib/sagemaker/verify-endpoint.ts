import { DeploymentConfig, DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

/** What the endpoint's state says about the deployment. */
export type EndpointVerdict =
  /** InService on the expected endpoint config. */
  | 'verified'
  /** InService, but on another config: a guardrail alarm rolled the deployment back (or it never happened). */
  | 'rolled-back'
  /** A rollback is under way. */
  | 'rolling-back'
  /** Creating or updating: the deployment has not finished. */
  | 'in-progress'
  /** The endpoint or its rollback failed. */
  | 'failed'
  /** Out of service or being deleted. */
  | 'not-in-service';

/** What to verify. */
export interface VerifyEndpointOptions {
  /** A SageMaker client for the endpoint's account and Region. */
  readonly client: SageMakerClient;
  /** The endpoint. */
  readonly endpointName: string;
  /** The endpoint config the deployment should have put in service (`ModelEndpoint.endpointConfigName`, from the stack output). */
  readonly expectedEndpointConfigName: string;
}

/** The outcome of a verification. */
export interface EndpointVerification {
  /** True only when the endpoint is InService on the expected config. */
  readonly verified: boolean;
  readonly verdict: EndpointVerdict;
  readonly endpointName: string;
  /** `EndpointStatus` as DescribeEndpoint returned it. */
  readonly endpointStatus: string;
  /** The config the endpoint runs. */
  readonly endpointConfigName?: string;
  readonly expectedEndpointConfigName: string;
  /** Why the endpoint or its last update failed, when SageMaker says. */
  readonly failureReason?: string;
  /** The deployment config of the last update (traffic routing, rollback alarms). */
  readonly lastDeploymentConfig?: DeploymentConfig;
  /** When the endpoint last changed. */
  readonly lastModifiedTime?: Date;
  /** One sentence for a person. */
  readonly message: string;
}

/**
 * Checks that a deployment really took effect. After a guardrail alarm SageMaker moves all traffic back to the old
 * fleet and the endpoint is InService again, on the OLD endpoint config; depending on how the update was started, a
 * pipeline may see nothing wrong. This requires `EndpointStatus === 'InService'` and
 * `EndpointConfigName === expectedEndpointConfigName`.
 *
 * Errors of the call (no such endpoint, no permission, throttling) are thrown as the SDK raised them.
 *
 * @example
 * const result = await verifyEndpoint({ client: new SageMakerClient({}), endpointName: 'fraud', expectedEndpointConfigName: 'EndpointConfig-abc' });
 * if (!result.verified) throw new Error(result.message);
 */
export async function verifyEndpoint(options: VerifyEndpointOptions): Promise<EndpointVerification> {
  const { client, endpointName, expectedEndpointConfigName: expected } = options;
  const out = await client.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  const status = out.EndpointStatus ?? 'unknown';
  const actual = out.EndpointConfigName;
  const onExpected = actual === expected;
  const failure = out.FailureReason ? ` (${out.FailureReason})` : '';
  const running = `endpoint ${endpointName} is ${status} on config ${actual ?? '(none)'}`;

  let verdict: EndpointVerdict;
  let message: string;
  switch (status) {
    case 'InService':
      verdict = onExpected ? 'verified' : 'rolled-back';
      message = onExpected
        ? `${running}, as expected`
        : `${running}, not the expected ${expected}: the deployment was rolled back (a rollback alarm went off) or never reached the endpoint${failure}`;
      break;
    case 'RollingBack':
      verdict = 'rolling-back';
      message = `${running}: a rollback alarm went off and traffic is moving back to the old fleet${failure}`;
      break;
    case 'Creating':
    case 'Updating':
    case 'SystemUpdating':
      verdict = 'in-progress';
      message = `${running}: the deployment has not finished; verify again once it is InService`;
      break;
    case 'Failed':
    case 'UpdateRollbackFailed':
      verdict = 'failed';
      message = `${running}${failure || ' (no failure reason given)'}`;
      break;
    default:
      verdict = 'not-in-service';
      message = `${running}: it serves no traffic${failure}`;
  }
  return {
    verified: verdict === 'verified',
    verdict,
    endpointName,
    endpointStatus: status,
    ...(actual !== undefined ? { endpointConfigName: actual } : {}),
    expectedEndpointConfigName: expected,
    ...(out.FailureReason ? { failureReason: out.FailureReason } : {}),
    ...(out.LastDeploymentConfig ? { lastDeploymentConfig: out.LastDeploymentConfig } : {}),
    ...(out.LastModifiedTime ? { lastModifiedTime: out.LastModifiedTime } : {}),
    message,
  };
}
