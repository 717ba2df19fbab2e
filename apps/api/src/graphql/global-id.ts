// Server-only. Relay global ids ("Type:uuid" in base64), decoded strictly into branded ids.
import { encodeGlobalID } from '@pothos/plugin-relay';

import { ParleyError } from '../errors.js';

export { encodeGlobalID };

export function decodeGlobalIdOf<T>(value: string, typename: string, parse: (raw: string) => T): T {
  const text = value.length <= 200 ? Buffer.from(value, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon < 0 || text.slice(0, colon) !== typename) {
    throw new ParleyError('INVALID_ID', `"${value.slice(0, 64)}" is not a ${typename} id.`);
  }
  return parse(text.slice(colon + 1));
}
