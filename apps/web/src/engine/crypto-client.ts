// Browser-only (page). Talks to the crypto worker (worker/crypto-worker.ts): each call is one
// request with an id, answered by value or by an error carrying the worker's error code.
import type {
  CryptoMethod,
  CryptoMethods,
  CryptoRequest,
  CryptoResponse,
} from '../shared/crypto-protocol.ts';

/** A failure inside the worker; `code` is @parley/crypto's error code when there is one. */
export class CryptoWorkerError extends Error {
  override readonly name = 'CryptoWorkerError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

type Waiting = { resolve(value: unknown): void; reject(error: Error): void };

export class CryptoClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;

  constructor() {
    this.#worker = new Worker('/crypto-worker.js', { type: 'module', name: 'parley-crypto' });
    this.#worker.addEventListener('message', (event: MessageEvent<CryptoResponse>) => {
      const response = event.data;
      const waiting = this.#waiting.get(response.id);
      if (!waiting) return;
      this.#waiting.delete(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(new CryptoWorkerError(response.error.message, response.error.code));
    });
  }

  call<M extends CryptoMethod>(
    method: M,
    input: Parameters<CryptoMethods[M]>[0],
  ): Promise<ReturnType<CryptoMethods[M]>> {
    const id = this.#nextId++;
    const request: CryptoRequest = { id, method, input };
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage(request);
    });
  }

  terminate(): void {
    this.#worker.terminate();
    for (const waiting of this.#waiting.values()) {
      waiting.reject(new CryptoWorkerError('The crypto worker stopped.', undefined));
    }
    this.#waiting.clear();
  }
}
