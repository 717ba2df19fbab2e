// Browser-only (Web Worker entry). Answers the page's requests (shared/crypto-protocol.ts) with
// the CryptoService, one at a time in arrival order per conversation (the service's locks), and
// sends errors back as values with their code, so the page can tell a refusal from a bug.
import { isCryptoError } from '@parley/crypto';

import type { CryptoRequest, CryptoResponse } from '../shared/crypto-protocol.ts';
import { CryptoService } from './crypto-service.ts';

declare const self: DedicatedWorkerGlobalScope;

const service = new CryptoService();

self.addEventListener('message', (event: MessageEvent<CryptoRequest>) => {
  const { id, method, input } = event.data;
  const handler = service[method] as (input: unknown) => Promise<unknown>;
  handler
    .call(service, input)
    .then((value) => reply({ id, ok: true, value }))
    .catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      reply({
        id,
        ok: false,
        error: {
          name: failure.name,
          message: failure.message,
          ...(isCryptoError(failure) && { code: failure.code }),
        },
      });
    });
});

function reply(response: CryptoResponse): void {
  self.postMessage(response);
}
