import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

/**
 * A loopback HTTP server that speaks the AWS JSON 1.1 protocol (SageMaker's, see reference/sagemaker.md §9), so tests
 * run the real SDK client (serialization, retries, error parsing) without an AWS account.
 *
 * Every request is `POST /` with `x-amz-target: <prefix>.<Operation>`; the server routes it to the handler registered
 * for that operation, records it, and answers with `application/x-amz-json-1.1`. `Date` values in a handler's body are
 * sent as epoch seconds, as the service does. An operation without a handler gets a 400 `UnknownOperationException`.
 *
 * @example
 * const server = await JsonLoopback.start();
 * server.on('DescribeEndpoint', (input) => ({ body: { EndpointName: input.EndpointName, EndpointStatus: 'InService' } }));
 * const client = server.sageMakerClient();
 * afterAll(() => server.close());
 */

/** What a handler answers: a body with a status (200 by default). */
export interface LoopbackReply {
  readonly status?: number;
  readonly body: unknown;
  /** Extra response headers. */
  readonly headers?: Record<string, string>;
}

/** One request as received: the operation, its parsed JSON input and its headers. */
export interface RecordedRequest {
  readonly operation: string;
  readonly input: any;
  readonly headers: http.IncomingHttpHeaders;
}

/** Answers one operation; `call` counts this operation's requests from 1 (to fail the first and succeed later). */
export type OperationHandler = (input: any, call: number) => LoopbackReply | Promise<LoopbackReply>;

/** A modeled service error: `{"__type": type, "message": message}` with its HTTP status. */
export function serviceError(type: string, message: string, status = 400): LoopbackReply {
  return { status, body: { __type: type, message } };
}

/** Common errors with the statuses SageMaker uses. */
export const errors = {
  throttling: (message = 'Rate exceeded') => serviceError('ThrottlingException', message, 400),
  validation: (message: string) => serviceError('ValidationException', message, 400),
  internalFailure: (message = 'An internal error occurred') => serviceError('InternalFailure', message, 500),
};

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export class JsonLoopback {
  /** Starts a server on 127.0.0.1 and a free port. `targetPrefix` is the service's (`SageMaker`). */
  public static async start(targetPrefix = 'SageMaker'): Promise<JsonLoopback> {
    const loopback = new JsonLoopback(targetPrefix);
    await new Promise<void>((resolve, reject) => {
      loopback.server.once('error', reject);
      loopback.server.listen(0, '127.0.0.1', () => resolve());
    });
    return loopback;
  }

  /** Every request received since the last `reset()`, in order. */
  public readonly requests: RecordedRequest[] = [];
  private readonly handlers = new Map<string, OperationHandler>();
  private readonly calls = new Map<string, number>();
  private readonly server: http.Server;
  private requestCount = 0;

  private constructor(private readonly targetPrefix: string) {
    this.server = http.createServer((req, res) => this.serve(req, res));
  }

  /** `http://127.0.0.1:<port>`, the endpoint to give a client. */
  public get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Sets the handler of an operation (replacing any earlier one). */
  public on(operation: string, handler: OperationHandler): this {
    this.handlers.set(operation, handler);
    return this;
  }

  /** The recorded requests of one operation. */
  public requestsOf(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** Forgets handlers and recorded requests (call it before each test). */
  public reset(): void {
    this.handlers.clear();
    this.calls.clear();
    this.requests.length = 0;
  }

  /**
   * A real SageMaker client pointed at this server, with static credentials. One attempt by default (so errors
   * surface at once); pass `maxAttempts` to exercise the SDK's retries.
   */
  public sageMakerClient(maxAttempts = 1): SageMakerClient {
    return new SageMakerClient({
      region: 'eu-west-1',
      endpoint: this.endpoint,
      credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-secret' },
      maxAttempts,
    });
  }

  public close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.closeAllConnections();
      this.server.close((err) => (err ? reject(err) : resolve()));
    });
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.reply(req, Buffer.concat(chunks).toString('utf8'))
        .then((reply) => this.send(res, reply))
        .catch((e: Error) => this.send(res, errors.internalFailure(`loopback handler threw: ${e.message}`)));
    });
  }

  private async reply(req: http.IncomingMessage, text: string): Promise<LoopbackReply> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const prefix = `${this.targetPrefix}.`;
    if (req.method !== 'POST' || !target.startsWith(prefix)) {
      return serviceError('UnknownOperationException', `expected POST with x-amz-target ${prefix}<Operation>, got ${req.method} ${target}`);
    }
    const operation = target.slice(prefix.length);
    let input: unknown;
    try {
      input = text === '' ? {} : JSON.parse(text);
    } catch {
      return serviceError('SerializationException', `request body is not JSON: ${text.slice(0, 80)}`);
    }
    this.requests.push({ operation, input, headers: req.headers });
    const call = (this.calls.get(operation) ?? 0) + 1;
    this.calls.set(operation, call);
    const handler = this.handlers.get(operation);
    if (!handler) return serviceError('UnknownOperationException', `no loopback handler for ${operation}`);
    return handler(input, call);
  }

  private send(res: http.ServerResponse, reply: LoopbackReply): void {
    const body = JSON.stringify(epochSeconds(reply.body));
    res.writeHead(reply.status ?? 200, {
      'content-type': CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': `loopback-${++this.requestCount}`,
      ...reply.headers,
    });
    res.end(body);
  }
}

/** Replaces every `Date` with epoch seconds (fractional when the date has milliseconds), the JSON 1.1 timestamp form. */
function epochSeconds(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(epochSeconds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, epochSeconds(v)]));
  }
  return value;
}
