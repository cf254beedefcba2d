import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/**
 * A loopback HTTP server for `@aws-sdk/client-cloudwatch` 3.x `PutMetricData`.
 *
 * That client speaks AWS JSON 1.0 in AWS-query-compatible mode (see its `AwsJson1_0Protocol` and `awsQueryCompatible`
 * settings): `POST /`, `content-type: application/x-amz-json-1.0`, `x-amz-target:
 * GraniteServiceVersion20100801.PutMetricData`, `x-amzn-query-mode: true`; timestamps are epoch seconds. Bodies above
 * 10 KiB are gzip-compressed (`content-encoding: gzip`, the operation's request-compression trait). The answer is
 * HTTP 200 with `{}`. Errors are `{"__type", "message"}` bodies naming the modeled shape, with the AWS Query error
 * code in `x-amzn-query-error: <code>;Sender`, as the query-compatible service sends them.
 *
 * @example
 * const cw = await CloudWatchLoopback.start();
 * await createHandler({ cloudwatch: cw.client(), ... })();
 * expect(cw.metricData).toContainEqual(expect.objectContaining({ MetricName: 'MaxFeaturePSI' }));
 */
export class CloudWatchLoopback {
  public static async start(): Promise<CloudWatchLoopback> {
    const loopback = new CloudWatchLoopback();
    await new Promise<void>((resolve, reject) => {
      loopback.server.once('error', reject);
      loopback.server.listen(0, '127.0.0.1', () => resolve());
    });
    return loopback;
  }

  /** Every PutMetricData request: its namespace, datums and the headers it came with. */
  public readonly calls: { namespace: string; metricData: any[]; headers: http.IncomingHttpHeaders }[] = [];
  /** When set, requests are answered with this error: HTTP status, modeled shape (`__type`), query error code, message. */
  public failWith?: { status: number; type: string; queryCode: string; message: string };
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => this.serve(req, res));
  }

  public get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Every datum of every call, in order. */
  public get metricData(): any[] {
    return this.calls.flatMap((c) => c.metricData);
  }

  /** A real CloudWatch client pointed at this server (one attempt). */
  public client(): CloudWatchClient {
    return new CloudWatchClient({
      region: 'us-east-1',
      endpoint: this.endpoint,
      credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-secret' },
      maxAttempts: 1,
    });
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'loopback', ...headers });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || target !== 'GraniteServiceVersion20100801.PutMetricData') {
        return reply(400, { __type: 'UnknownOperationException', message: `loopback serves PutMetricData only (got ${req.method} ${target})` });
      }
      const failure = this.failWith;
      if (failure) {
        return reply(failure.status, { __type: failure.type, message: failure.message }, { 'x-amzn-query-error': `${failure.queryCode};Sender` });
      }
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const input = JSON.parse(raw.toString('utf8'));
      this.calls.push({ namespace: input.Namespace, metricData: input.MetricData ?? [], headers: req.headers });
      return reply(200, {});
    });
  }
}
