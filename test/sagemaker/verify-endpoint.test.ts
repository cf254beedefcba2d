import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { verifyEndpoint } from '../../lib/sagemaker/verify-endpoint';
import { errors, JsonLoopback } from '../support/sagemaker-loopback';

const NEW_CONFIG = 'EndpointConfig-9f2c';
const OLD_CONFIG = 'EndpointConfig-41aa';
const DEPLOYMENT = {
  BlueGreenUpdatePolicy: {
    TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } },
    TerminationWaitInSeconds: 600,
    MaximumExecutionTimeoutInSeconds: 3600,
  },
  AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'Serving-FraudErrorAlarm' }, { AlarmName: 'Serving-FraudLatencyAlarm' }] },
};

/** What DescribeEndpoint answers for the endpoint `fraud`. */
const described = (status: string, config: string, extra: Record<string, unknown> = {}) => ({
  body: {
    EndpointName: 'fraud',
    EndpointArn: 'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/fraud',
    EndpointConfigName: config,
    EndpointStatus: status,
    CreationTime: new Date('2026-11-20T08:00:00Z'),
    LastModifiedTime: new Date('2026-11-26T09:30:00.250Z'),
    ...extra,
  },
});

describe('verifyEndpoint against a SageMaker loopback', () => {
  let server: JsonLoopback;
  let client: SageMakerClient;
  beforeAll(async () => {
    server = await JsonLoopback.start();
    client = server.sageMakerClient();
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());
  const verify = () => verifyEndpoint({ client, endpointName: 'fraud', expectedEndpointConfigName: NEW_CONFIG });

  test('verifies an endpoint in service on the new config, with one DescribeEndpoint', async () => {
    server.on('DescribeEndpoint', () => described('InService', NEW_CONFIG, { LastDeploymentConfig: DEPLOYMENT }));
    await expect(verify()).resolves.toEqual({
      verified: true,
      verdict: 'verified',
      endpointName: 'fraud',
      endpointStatus: 'InService',
      endpointConfigName: NEW_CONFIG,
      expectedEndpointConfigName: NEW_CONFIG,
      lastDeploymentConfig: DEPLOYMENT,
      lastModifiedTime: new Date('2026-11-26T09:30:00.250Z'),
      message: `endpoint fraud is InService on config ${NEW_CONFIG}, as expected`,
    });
    expect(server.requests).toEqual([
      expect.objectContaining({ operation: 'DescribeEndpoint', input: { EndpointName: 'fraud' }, headers: expect.objectContaining({ 'x-amz-target': 'SageMaker.DescribeEndpoint' }) }),
    ]);
  });

  test('detects the silent rollback: in service again, on the OLD config', async () => {
    server.on('DescribeEndpoint', () => described('InService', OLD_CONFIG, { LastDeploymentConfig: DEPLOYMENT }));
    const result = await verify();
    expect(result).toMatchObject({ verified: false, verdict: 'rolled-back', endpointStatus: 'InService', endpointConfigName: OLD_CONFIG, lastDeploymentConfig: DEPLOYMENT });
    expect(result.message).toBe(
      `endpoint fraud is InService on config ${OLD_CONFIG}, not the expected ${NEW_CONFIG}: the deployment was rolled back (a rollback alarm went off) or never reached the endpoint`,
    );
  });

  test('reports a rollback under way with the failure reason', async () => {
    const reason = 'Rolling back: alarm Serving-FraudErrorAlarm went into ALARM state';
    server.on('DescribeEndpoint', () => described('RollingBack', NEW_CONFIG, { FailureReason: reason }));
    await expect(verify()).resolves.toMatchObject({
      verified: false, verdict: 'rolling-back', failureReason: reason,
      message: `endpoint fraud is RollingBack on config ${NEW_CONFIG}: a rollback alarm went off and traffic is moving back to the old fleet (${reason})`,
    });
  });

  test.each(['Failed', 'UpdateRollbackFailed'])('reports %s with the failure reason', async (status) => {
    const reason = 'The primary container for production variant AllTraffic did not pass the ping health check.';
    server.on('DescribeEndpoint', () => described(status, NEW_CONFIG, { FailureReason: reason }));
    await expect(verify()).resolves.toMatchObject({
      verified: false, verdict: 'failed', failureReason: reason, message: `endpoint fraud is ${status} on config ${NEW_CONFIG} (${reason})`,
    });
  });

  test('does not verify a deployment still in progress', async () => {
    server.on('DescribeEndpoint', () => described('Updating', OLD_CONFIG));
    await expect(verify()).resolves.toMatchObject({ verified: false, verdict: 'in-progress', message: expect.stringContaining('verify again once it is InService') });
  });

  test('does not verify an endpoint out of service, even on the new config', async () => {
    server.on('DescribeEndpoint', () => described('OutOfService', NEW_CONFIG));
    await expect(verify()).resolves.toMatchObject({ verified: false, verdict: 'not-in-service' });
  });

  test('surfaces "Could not find endpoint" as the SDK raises it', async () => {
    server.on('DescribeEndpoint', () => errors.validation('Could not find endpoint "fraud".'));
    await expect(verify()).rejects.toMatchObject({
      name: 'ValidationException', message: 'Could not find endpoint "fraud".', $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });
  });
});
