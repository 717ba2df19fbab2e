// Server-only. The whole public schema, code-first. schema.graphql at the repository root is
// printed from this and compared by a test, so a change to the API is always visible in review.
import { lexicographicSortSchema, printSchema } from 'graphql';

import { builder } from './builder.js';
import './types/user.js';
import './types/conversation.js';
import './types/message.js';
import './types/events.js';
import './types/mls.js';
import './types/push.js';

export const schema = builder.toSchema();

export function printParleySchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
