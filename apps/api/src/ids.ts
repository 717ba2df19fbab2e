// Shared. Branded ids: a UserId is only ever made by parsing, at the boundary, so that a
// conversation id can never be passed where a user id is expected.
import { ParleyError } from './errors.js';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, 'UserId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type ConversationId = Brand<string, 'ConversationId'>;
export type MessageId = Brand<string, 'MessageId'>;
/** A media blob's name: the SHA-256 of its ciphertext, in lowercase hex. */
export type MediaId = Brand<string, 'MediaId'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseUuid(value: string, kind: string): string {
  const lower = value.toLowerCase();
  if (!uuidPattern.test(lower)) {
    throw new ParleyError('INVALID_ID', `"${value.slice(0, 64)}" is not a valid ${kind} id.`);
  }
  return lower;
}

export const parseUserId = (value: string) => parseUuid(value, 'user') as UserId;
export const parseDeviceId = (value: string) => parseUuid(value, 'device') as DeviceId;
export const parseConversationId = (value: string) =>
  parseUuid(value, 'conversation') as ConversationId;
export const parseMessageId = (value: string) => parseUuid(value, 'message') as MessageId;

const sha256HexPattern = /^[0-9a-f]{64}$/;

export function parseMediaId(value: string): MediaId {
  const lower = value.toLowerCase();
  if (!sha256HexPattern.test(lower)) {
    throw new ParleyError(
      'INVALID_ID',
      `"${value.slice(0, 80)}" is not a media id: media ids are 64 hexadecimal digits (SHA-256).`,
    );
  }
  return lower as MediaId;
}

/** New ids are random UUIDs (v4): they reveal nothing about order or time. */
export const newUserId = () => crypto.randomUUID() as UserId;
export const newDeviceId = () => crypto.randomUUID() as DeviceId;
export const newConversationId = () => crypto.randomUUID() as ConversationId;
export const newMessageId = () => crypto.randomUUID() as MessageId;
