import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * A loopback HTTP server that speaks enough of the S3 REST protocol (path-style addressing, XML responses) for
 * `ListObjectsV2` and `GetObject`, so tests run the real `@aws-sdk/client-s3` against objects held in memory.
 *
 * - `GET /<bucket>?list-type=2&prefix=&delimiter=&continuation-token=&max-keys=`: keys in lexicographic order,
 *   `CommonPrefixes` when a delimiter is given, pages of `pageSize` (or `max-keys`) entries with a continuation token.
 * - `GET /<bucket>/<key>`: the object's body, or a 404 `NoSuchKey` error document.
 * Anything else is a 501 `NotImplemented` error. Requests are recorded.
 *
 * @example
 * const s3 = await S3Loopback.start();
 * s3.put('capture', 'data-capture/ep/AllTraffic/2026/11/26/09/a.jsonl', lines);
 * const client = s3.client(); // forcePathStyle, loopback endpoint, one attempt
 */
export class S3Loopback {
  public static async start(options: { pageSize?: number } = {}): Promise<S3Loopback> {
    const loopback = new S3Loopback(options.pageSize ?? 1000);
    await new Promise<void>((resolve, reject) => {
      loopback.server.once('error', reject);
      loopback.server.listen(0, '127.0.0.1', () => resolve());
    });
    return loopback;
  }

  /** Every request received: method, bucket, key (for GetObject) and query. */
  public readonly requests: { method: string; bucket: string; key?: string; query: Record<string, string> }[] = [];
  private readonly buckets = new Map<string, Map<string, Buffer>>();
  private readonly server: http.Server;

  private constructor(private readonly pageSize: number) {
    this.server = http.createServer((req, res) => this.serve(req, res));
  }

  /** `http://127.0.0.1:<port>`. */
  public get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** A real S3 client pointed at this server (path-style, one attempt so errors surface at once). */
  public client(): S3Client {
    return new S3Client({
      region: 'us-east-1',
      endpoint: this.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-secret' },
      maxAttempts: 1,
    });
  }

  /** Stores an object. */
  public put(bucket: string, key: string, body: string | Buffer): void {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
    this.buckets.get(bucket)!.set(key, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const [bucket = '', ...keyParts] = url.pathname.slice(1).split('/');
    // `/bucket` and `/bucket/` address the bucket; anything after the second slash is the key.
    const key = keyParts.length > 0 && keyParts.join('/') !== '' ? keyParts.map(decodeURIComponent).join('/') : undefined;
    const query = Object.fromEntries(url.searchParams.entries());
    this.requests.push({ method: req.method ?? '', bucket: decodeURIComponent(bucket), key, query });
    req.resume();
    req.on('end', () => {
      const objects = this.buckets.get(decodeURIComponent(bucket));
      if (req.method === 'GET' && key === undefined && query['list-type'] === '2') {
        if (!objects) return this.error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
        return this.list(res, decodeURIComponent(bucket), objects, query);
      }
      if (req.method === 'GET' && key !== undefined) {
        const body = objects?.get(key);
        if (!body) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, etag: '"loopback"', 'last-modified': new Date(0).toUTCString() });
        return res.end(body);
      }
      return this.error(res, 501, 'NotImplemented', `${req.method} ${url.pathname}${url.search} is not implemented by the loopback`);
    });
  }

  private list(res: http.ServerResponse, bucket: string, objects: Map<string, Buffer>, query: Record<string, string>): void {
    const prefix = query.prefix ?? '';
    const delimiter = query.delimiter;
    const pageSize = Math.min(this.pageSize, Number(query['max-keys'] ?? 1000));
    // Entries in key order: objects, or one common prefix for every key that has the delimiter after the prefix.
    const entries: { key: string; prefix: boolean }[] = [];
    const seenPrefixes = new Set<string>();
    for (const k of [...objects.keys()].filter((k) => k.startsWith(prefix)).sort()) {
      const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = k.slice(0, cut + delimiter!.length);
        if (!seenPrefixes.has(common)) entries.push({ key: common, prefix: true });
        seenPrefixes.add(common);
      } else entries.push({ key: k, prefix: false });
    }
    const start = query['continuation-token'] ? Number(Buffer.from(query['continuation-token'], 'base64').toString()) : 0;
    const page = entries.slice(start, start + pageSize);
    const truncated = start + pageSize < entries.length;
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      `<Name>${escape(bucket)}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys>`,
      delimiter ? `<Delimiter>${escape(delimiter)}</Delimiter>` : '',
      `<IsTruncated>${truncated}</IsTruncated>`,
      truncated ? `<NextContinuationToken>${Buffer.from(String(start + pageSize)).toString('base64')}</NextContinuationToken>` : '',
      ...page.map((e) => e.prefix
        ? `<CommonPrefixes><Prefix>${escape(e.key)}</Prefix></CommonPrefixes>`
        : `<Contents><Key>${escape(e.key)}</Key><LastModified>1970-01-01T00:00:00.000Z</LastModified><ETag>"loopback"</ETag>` +
          `<Size>${objects.get(e.key)!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`),
      '</ListBucketResult>',
    ].join('');
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(xml);
  }

  private error(res: http.ServerResponse, status: number, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escape(message)}</Message><RequestId>loopback</RequestId></Error>`);
  }
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
