// Server-only. The limits every operation passes, over HTTP and over WebSocket alike: depth,
// aliases, tokens and cost. They reject a query before it runs, so an expensive query costs the
// server a parse and a walk, never a database round trip. Rejections carry QUERY_TOO_COMPLEX.
import type { Plugin } from '@envelop/core';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';

export type OperationLimits = {
  /** Deepest selection. Default 12, enough for a conversation's page of messages and senders. */
  readonly depth: number;
  /** Aliases per operation. Default 15. */
  readonly aliases: number;
  /** Lexical tokens per document. Default 3,000. */
  readonly tokens: number;
  /** Estimated cost (graphql-armor's model). Default 5,000. */
  readonly cost: number;
};

export const defaultOperationLimits: OperationLimits = {
  depth: 12,
  aliases: 15,
  tokens: 3_000,
  cost: 5_000,
};

function tagTooComplex(_context: unknown, error: GraphQLError): void {
  // graphql-armor reports plain errors; give them the stable code clients can branch on.
  (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
}

export function useOperationLimits(limits: OperationLimits = defaultOperationLimits): Plugin[] {
  const common = { onReject: [tagTooComplex], propagateOnRejection: true, exposeLimits: true };
  return [
    maxTokensPlugin({ ...common, n: limits.tokens }),
    maxDepthPlugin({
      ...common,
      n: limits.depth,
      ignoreIntrospection: true,
      flattenFragments: true,
    }),
    maxAliasesPlugin({ ...common, n: limits.aliases }),
    costLimitPlugin({ ...common, maxCost: limits.cost, ignoreIntrospection: true }),
  ];
}
