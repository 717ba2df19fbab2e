// Server-only. Conversation ids as they arrive in arguments.
import { type ConversationId, parseConversationId } from '../../ids.js';
import { decodeGlobalIdOf } from '../global-id.js';

export function conversationIdArg(value: string | number): ConversationId {
  return decodeGlobalIdOf(String(value), 'Conversation', parseConversationId);
}
