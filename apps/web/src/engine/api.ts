// Browser-only (page). Runs one operation and turns its result into data or a typed ApiError, so
// that callers never look inside urql's result shape.
import type { AnyVariables, Client, TypedDocumentNode } from '@urql/core';

import { ApiError } from './graphql-client.ts';

// Documents are untyped strings: each caller names the shape it reads.
type Data = any;

export class Api {
  constructor(readonly client: Client) {}

  async query<T = Data>(document: TypedDocumentNode, variables: AnyVariables = {}): Promise<T> {
    const result = await this.client.query(document, variables).toPromise();
    if (result.error) throw ApiError.from(result.error);
    return result.data as T;
  }

  async mutate<T = Data>(document: TypedDocumentNode, variables: AnyVariables = {}): Promise<T> {
    const result = await this.client.mutation(document, variables).toPromise();
    if (result.error) throw ApiError.from(result.error);
    return result.data as T;
  }
}

/** Offline, or the server did not answer: worth trying again later. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === 'NETWORK' || error.code === 'RATE_LIMITED' || error.code === 'UNKNOWN')
  );
}
