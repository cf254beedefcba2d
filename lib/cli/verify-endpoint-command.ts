import { DeploymentConfig, SageMakerClient, SageMakerClientConfig } from '@aws-sdk/client-sagemaker';
import { EndpointVerification, verifyEndpoint } from '../sagemaker/verify-endpoint';
import { CliError } from './cli-error';
import type { CliIo } from './io';

/** What `verify-endpoint` was asked. */
export interface VerifyEndpointArguments {
  readonly endpointName: string;
  readonly expectedConfig: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly format: 'text' | 'json';
}

const VALUE_OPTIONS = ['--expected-config', '--region', '--endpoint-url', '--format'];

/**
 * Parses `verify-endpoint <name> --expected-config <config> [--region r] [--endpoint-url url] [--format text|json]`
 * (the arguments after the command). Options as `--opt value` or `--opt=value`; anything else throws a CliError.
 */
export function parseVerifyEndpointArguments(args: readonly string[]): VerifyEndpointArguments {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.includes(name)) throw new CliError(`unknown option '${name}' for verify-endpoint (see --help)`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new CliError(`option ${name} needs a value`);
    values.set(name, value);
  }
  if (positional.length !== 1) {
    throw new CliError(positional.length === 0
      ? 'verify-endpoint needs the endpoint name: regulated-mlops verify-endpoint <name> --expected-config <config>'
      : `verify-endpoint takes one endpoint name (received ${positional.map((p) => `'${p}'`).join(', ')})`);
  }
  const expectedConfig = values.get('--expected-config');
  if (expectedConfig === undefined) {
    throw new CliError('verify-endpoint needs --expected-config <config>: the endpoint config the deployment should have put in service');
  }
  const format = values.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliError(`option --format must be one of text, json (received '${format}')`);
  const endpointUrl = values.get('--endpoint-url');
  if (endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(endpointUrl)) {
    throw new CliError(`option --endpoint-url must be an http(s) URL (received '${endpointUrl}')`);
  }
  return {
    endpointName: positional[0],
    expectedConfig,
    format,
    ...(values.has('--region') ? { region: values.get('--region') } : {}),
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
  };
}

/**
 * `verify-endpoint`: exit 0 when the endpoint is InService on the expected config, 1 when it is not (rolled back,
 * rolling back, failed, still updating, out of service), 2 for bad usage or an AWS error (one line on stderr).
 * Credentials and the default Region come from the AWS SDK's usual chain (environment, profile, role).
 */
export async function runVerifyEndpoint(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseVerifyEndpointArguments(args);
  const config: SageMakerClientConfig = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  };
  const client = new SageMakerClient(config);
  let result: EndpointVerification;
  try {
    result = await verifyEndpoint({ client, endpointName: options.endpointName, expectedEndpointConfigName: options.expectedConfig });
  } catch (e) {
    const error = e as Error;
    throw new CliError(`${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`, options.endpointName);
  } finally {
    client.destroy();
  }
  io.stdout(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderText(result));
  return result.verified ? 0 : 1;
}

function renderText(result: EndpointVerification): string {
  const lines = [`${result.verified ? 'verified' : result.verdict.toUpperCase()}: ${result.message}`];
  if (!result.verified && result.failureReason) lines.push(`  failure reason: ${result.failureReason}`);
  if (result.lastDeploymentConfig) lines.push(`  last deployment: ${describeDeployment(result.lastDeploymentConfig)}`);
  return `${lines.join('\n')}\n`;
}

/** `CANARY 10% (bake 600 s), final bake 600 s, rollback alarms: a, b`. */
function describeDeployment(config: DeploymentConfig): string {
  const parts: string[] = [];
  const blueGreen = config.BlueGreenUpdatePolicy;
  const routing = blueGreen?.TrafficRoutingConfiguration;
  if (routing) {
    const size = routing.CanarySize ?? routing.LinearStepSize;
    const step = size ? ` ${size.Value}${size.Type === 'CAPACITY_PERCENT' ? '%' : ' instance(s)'}` : '';
    parts.push(`${routing.Type}${step} (bake ${routing.WaitIntervalInSeconds ?? 0} s)`);
    if (blueGreen?.TerminationWaitInSeconds !== undefined) parts.push(`final bake ${blueGreen.TerminationWaitInSeconds} s`);
  } else if (config.RollingUpdatePolicy) {
    parts.push('rolling update');
  }
  const alarms = config.AutoRollbackConfiguration?.Alarms?.map((a) => a.AlarmName).filter(Boolean) ?? [];
  parts.push(alarms.length > 0 ? `rollback alarms: ${alarms.join(', ')}` : 'no rollback alarms');
  return parts.join(', ');
}
