// Server-only. The Pothos schema builder that every type file registers with.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';

import { badInput } from '../errors.js';
import type { Context } from './context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Bytes: { Input: Uint8Array; Output: string };
    DateTime: { Input: Date; Output: Date | string };
  };
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
});

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

builder.scalarType('Bytes', {
  description: 'Binary data (ciphertext), as standard base64 with padding.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !strictBase64.test(value)) {
      throw badInput('Bytes must be a standard base64 string.');
    }
    return new Uint8Array(Buffer.from(value, 'base64'));
  },
});

builder.scalarType('DateTime', {
  description: 'A point in time, as an ISO 8601 string in UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : value),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO 8601 string.');
    return date;
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
