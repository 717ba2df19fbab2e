// Shared. Phone numbers are accounts, so they are parsed once at the edge into E.164 and carried
// as a branded type from there on.
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';

import { ParleyError } from '../errors.js';

declare const brand: unique symbol;
export type PhoneNumber = string & { readonly [brand]: 'PhoneNumber' };

/** Parses a number in international form ("+" and country code) into E.164, or throws. */
export function parsePhoneNumber(input: string): PhoneNumber {
  const invalid = () =>
    new ParleyError(
      'INVALID_PHONE_NUMBER',
      'Give the phone number in international form, with "+" and the country code, ' +
        'for example +14155550123.',
    );
  if (input.length > 32 || !input.trim().startsWith('+')) throw invalid();
  try {
    const parsed = parsePhoneNumberWithError(input.trim());
    if (!parsed.isValid()) throw invalid();
    return parsed.number as PhoneNumber;
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    throw invalid();
  }
}

/** Keeps the country code and the last two digits: enough to tell numbers apart in logs. */
export function redactPhoneNumber(phoneNumber: string): string {
  return `${phoneNumber.slice(0, 3)}…${phoneNumber.slice(-2)}`;
}
