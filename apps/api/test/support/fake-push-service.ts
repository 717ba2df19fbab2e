// Test-only. A push service on loopback: it takes Web Push requests (RFC 8030, section 5) on any
// path, records them, and answers each endpoint with the status a test chose for it. It also
// checks VAPID (RFC 8292) the way a real push service does.
import { createPublicKey, verify } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export type ReceivedPush = {
  readonly endpoint: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
};

export class FakePushService {
  readonly received: ReceivedPush[] = [];
  readonly #statuses = new Map<string, number>();
  readonly #waiters = new Set<() => void>();

  private constructor(
    readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts the service, and stops it when the test file ends. */
  static async start(): Promise<FakePushService> {
    let service: FakePushService | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        service?.receive(req.url ?? '/', req.headers, Buffer.concat(chunks), res),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    service = new FakePushService(server, `http://127.0.0.1:${port}`);
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return service;
  }

  /** A new endpoint on this service, as a browser's subscription would name it. */
  endpoint(status = 201): string {
    const endpoint = `${this.url}/push/${crypto.randomUUID()}`;
    this.#statuses.set(endpoint, status);
    return endpoint;
  }

  pushesTo(endpoint: string): ReceivedPush[] {
    return this.received.filter((push) => push.endpoint === endpoint);
  }

  /** Waits until `count` pushes reached the endpoint, and returns them. */
  async waitFor(endpoint: string, count = 1, timeoutMs = 10_000): Promise<ReceivedPush[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pushes = this.pushesTo(endpoint);
      if (pushes.length >= count) return pushes;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} pushes; got ${pushes.length}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 100);
        this.#waiters.add(wake);
      });
    }
  }

  private receive(
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    res: ServerResponse,
  ): void {
    const endpoint = `${this.url}${path}`;
    this.received.push({ endpoint, headers, body });
    res.writeHead(this.#statuses.get(endpoint) ?? 404).end();
    for (const wake of [...this.#waiters]) wake();
  }
}

/**
 * Checks a push request's `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292, section 3): the JWT
 * is signed with ES256 by the key's private half, for this service's origin, and unexpired.
 */
export function verifyVapid(authorization: string, audience: string): VapidClaims {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization);
  if (!match) throw new Error(`not a VAPID authorization: ${authorization.slice(0, 20)}`);
  const [, token, key] = match as unknown as [string, string, string];
  const [header, claims, signature] = token.split('.') as [string, string, string];

  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('the VAPID signature does not verify');

  const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg: string };
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString()) as VapidClaims;
  if (parsedHeader.alg !== 'ES256') throw new Error(`VAPID signed with ${parsedHeader.alg}`);
  if (parsed.aud !== audience) throw new Error(`VAPID audience ${parsed.aud}, not ${audience}`);
  const now = Date.now() / 1000;
  if (!(parsed.exp > now && parsed.exp <= now + 24 * 60 * 60)) {
    throw new Error('VAPID expiry is not within the next 24 hours');
  }
  return { ...parsed, key };
}

export type VapidClaims = { aud: string; exp: number; sub: string; key: string };
