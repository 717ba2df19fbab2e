// Server-only. One budget of operations per device (or, before sign-in, per client address),
// charged when an operation executes or a subscription starts, over HTTP and WebSocket alike.
// Individual actions that cost more (codes, sends, look-ups) have limits of their own on top.
import type { Plugin } from '@envelop/core';
import type { ExecutionResult } from 'graphql';

import { ParleyError } from '../errors.js';
import type { Window } from '../limits.js';
import type { Context } from './context.js';

async function charge(context: Context, window: Window): Promise<ExecutionResult | undefined> {
  const who = context.viewer
    ? `device:${context.viewer.deviceId}`
    : `address:${context.clientAddress}`;
  const result = await context.deps.store.hit(`operations:${who}`, window.limit, window.windowMs);
  if (result.allowed) return undefined;
  const error = new ParleyError(
    'RATE_LIMITED',
    `Too many operations. Try again in ${Math.ceil(result.retryAfterMs / 1000)} s.`,
    { retryAfterMs: result.retryAfterMs },
  );
  return { errors: [error] };
}

export function useRateLimit(window: Window): Plugin<Context> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await charge(args.contextValue, window);
      if (refused) setResultAndStopExecution(refused);
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await charge(args.contextValue, window);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
