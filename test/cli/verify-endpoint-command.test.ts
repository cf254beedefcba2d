import { main, runCommand } from '../../lib/cli/main';
import { parseVerifyEndpointArguments } from '../../lib/cli/verify-endpoint-command';
import { errors, JsonLoopback } from '../support/sagemaker-loopback';
import { CliRun, expectOneLineError } from './run-cli';

const NEW_CONFIG = 'EndpointConfig-9f2c';
const OLD_CONFIG = 'EndpointConfig-41aa';

/** Runs the asynchronous command line in-process, capturing what it writes and the exit code. */
async function runAsync(argv: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('regulated-mlops verify-endpoint', () => {
  let server: JsonLoopback;
  const saved: Record<string, string | undefined> = {};
  // The command takes credentials from the SDK's usual chain: the environment, here.
  const env = { AWS_ACCESS_KEY_ID: 'AKIDLOOPBACK', AWS_SECRET_ACCESS_KEY: 'loopback-secret', AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };
  beforeAll(async () => {
    server = await JsonLoopback.start();
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server.close();
  });
  beforeEach(() => server.reset());
  const verify = (...extra: string[]) => runAsync(['verify-endpoint', 'fraud', '--expected-config', NEW_CONFIG, '--region', 'eu-west-1', '--endpoint-url', server.endpoint, ...extra]);
  const describedAs = (status: string, config: string, extra: Record<string, unknown> = {}) =>
    server.on('DescribeEndpoint', (input) => ({ body: { EndpointName: input.EndpointName, EndpointConfigName: config, EndpointStatus: status, ...extra } }));

  test('exit 0 when the endpoint is in service on the expected config', async () => {
    describedAs('InService', NEW_CONFIG);
    const run = await verify();
    expect(run).toEqual({ code: 0, stdout: `verified: endpoint fraud is InService on config ${NEW_CONFIG}, as expected\n`, stderr: '' });
    expect(server.requestsOf('DescribeEndpoint').map((r) => [r.input, r.headers.authorization?.startsWith('AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK/')]))
      .toEqual([[{ EndpointName: 'fraud' }, true]]);
  });

  test('exit 1 and the last deployment when it silently rolled back to the old config', async () => {
    describedAs('InService', OLD_CONFIG, {
      LastDeploymentConfig: {
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } }, TerminationWaitInSeconds: 600 },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'fraud-5xx' }, { AlarmName: 'fraud-latency' }] },
      },
    });
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      `ROLLED-BACK: endpoint fraud is InService on config ${OLD_CONFIG}, not the expected ${NEW_CONFIG}: the deployment was rolled back ` +
      '(a rollback alarm went off) or never reached the endpoint\n' +
      '  last deployment: CANARY 10% (bake 600 s), final bake 600 s, rollback alarms: fraud-5xx, fraud-latency\n',
    );
  });

  test('exit 1 with the failure reason when the endpoint failed', async () => {
    describedAs('Failed', NEW_CONFIG, { FailureReason: 'Image pull failed' });
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`FAILED: endpoint fraud is Failed on config ${NEW_CONFIG} (Image pull failed)\n  failure reason: Image pull failed\n`);
  });

  test('--format json prints the verification', async () => {
    describedAs('RollingBack', NEW_CONFIG);
    const run = await verify('--format', 'json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ verified: false, verdict: 'rolling-back', endpointName: 'fraud', endpointStatus: 'RollingBack' });
  });

  test('exit 2 and one line for an AWS error (no such endpoint)', async () => {
    server.on('DescribeEndpoint', () => errors.validation('Could not find endpoint "fraud".'));
    expectOneLineError(await verify(), 'regulated-mlops: fraud: ValidationException: Could not find endpoint "fraud".');
  });

  test.each([
    [['verify-endpoint'], 'verify-endpoint needs the endpoint name'],
    [['verify-endpoint', 'fraud'], 'verify-endpoint needs --expected-config <config>'],
    [['verify-endpoint', 'a', 'b', '--expected-config', 'c'], "verify-endpoint takes one endpoint name (received 'a', 'b')"],
    [['verify-endpoint', 'fraud', '--expected-config'], 'option --expected-config needs a value'],
    [['verify-endpoint', 'fraud', '--expected-config', 'c', '--pack', 'hipaa'], "unknown option '--pack' for verify-endpoint"],
    [['verify-endpoint', 'fraud', '--expected-config', 'c', '--format', 'sarif'], "option --format must be one of text, json (received 'sarif')"],
    [['verify-endpoint', 'fraud', '--expected-config', 'c', '--endpoint-url', 'localhost:1'], "option --endpoint-url must be an http(s) URL (received 'localhost:1')"],
  ])('exit 2 and one line for bad usage: %j', async (argv, message) => {
    expectOneLineError(await runAsync(argv), message);
    expect(server.requests).toEqual([]);
  });

  test('parses options in either form', () => {
    expect(parseVerifyEndpointArguments(['fraud', '--expected-config=c', '--region', 'eu-west-1', '--format=json'])).toEqual({
      endpointName: 'fraud', expectedConfig: 'c', region: 'eu-west-1', format: 'json',
    });
  });

  test('--help shows the command in the usage', async () => {
    const run = await runAsync(['verify-endpoint', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('regulated-mlops verify-endpoint <name> --expected-config <config>');
  });

  test('the synchronous main() says the command needs runCommand()', () => {
    let stderr = '';
    const code = main(['verify-endpoint', 'fraud', '--expected-config', 'c'], { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd: process.cwd() });
    expect(code).toBe(2);
    expect(stderr).toBe('regulated-mlops: verify-endpoint calls AWS and runs asynchronously: the entry point must call runCommand() instead of main()\n');
  });
});
