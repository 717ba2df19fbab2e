// Bench-only. GraphQL over HTTP POST, on keep-alive connections, for set-up and for any
// operation that cannot go over the device's WebSocket. Built on node:http rather than fetch:
// on the hot path, fetch's per-request cost would be charged to the load generator's core.
import { Agent, request } from 'node:http';

import { OperationError, type GraphQLErrorShape } from './operation-error.js';

type Response<T> = { data?: T | null; errors?: readonly GraphQLErrorShape[] };

export class GraphQLHttpClient {
  readonly #endpoint: URL;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });

  /** `endpoint` is the server's GraphQL URL, e.g. http://127.0.0.1:4000/graphql. */
  constructor(endpoint: string) {
    this.#endpoint = new URL(endpoint);
  }

  /** Runs one operation; resolves with its data, rejects with an OperationError. */
  execute<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const body = Buffer.from(JSON.stringify({ query, variables }));
    return new Promise<T>((resolve, reject) => {
      const outgoing = request(
        this.#endpoint,
        {
          method: 'POST',
          agent: this.#agent,
          timeout: 30_000,
          headers: {
            'content-type': 'application/json',
            'content-length': body.byteLength,
            accept: 'application/graphql-response+json, application/json',
            ...(token && { authorization: `Bearer ${token}` }),
          },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            let parsed: Response<T>;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString()) as Response<T>;
            } catch {
              reject(new OperationError([{ message: 'not JSON' }], `HTTP_${incoming.statusCode}`));
              return;
            }
            if (parsed.data && !parsed.errors?.length) resolve(parsed.data);
            else reject(new OperationError(parsed.errors ?? [], `HTTP_${incoming.statusCode}`));
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('no HTTP response in 30 s')));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
