// GraphQL over HTTP (the GraphQL over HTTP spec's application/graphql-response+json), with the
// failures sorted as they arrive: no answer is a TransportError, a refusal is an ApiError with
// its code, and an answer of the wrong shape is a ProtocolError from the reader.
import { ApiError, ProtocolError, TransportError } from './errors.ts';
import { WireReader } from './wire-reader.ts';

/** Long enough for a large upload of key packages on a slow link, short enough to notice a hang. */
const requestTimeoutMs = 20_000;

export class GraphQLClient {
  readonly #url: string;
  readonly #signal: AbortSignal;
  /** The device's token, once it has one; sent as a Bearer token. */
  token: string | undefined;

  /** Every request is abandoned when `signal` aborts, so that stopping never waits on one. */
  constructor(url: string, signal: AbortSignal) {
    this.#url = url;
    this.#signal = signal;
  }

  /** Runs one operation and reads its `data` with `read`; throws a typed error otherwise. */
  async request<T>(
    document: string,
    variables: Readonly<Record<string, unknown>>,
    read: (data: WireReader) => T,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(this.token && { authorization: `Bearer ${this.token}` }),
        },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.any([this.#signal, AbortSignal.timeout(requestTimeoutMs)]),
      });
    } catch (cause) {
      throw new TransportError(`Could not reach ${this.#url}.`, { cause });
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch (cause) {
      // A connection cut while the body was on its way, or a proxy's error page.
      if (!(cause instanceof SyntaxError) || response.status >= 500) {
        throw new TransportError(`The API answered HTTP ${response.status}.`, { cause });
      }
      throw new ProtocolError(`The API answered HTTP ${response.status} without JSON.`);
    }

    const result = new WireReader(body, 'response');
    const errors = (body as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) throw ApiError.fromWire(errors);
    if (response.status >= 500) {
      throw new TransportError(`The API answered HTTP ${response.status}.`);
    }
    return read(result.object('data'));
  }
}
