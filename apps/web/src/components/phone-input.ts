// Shared. The light check a phone number gets before it leaves a form. The server parses the
// number for real; this only catches what a person typing it would want pointed out at once.

/** Strips the spaces, dots, dashes and brackets people type, and turns a leading 00 into +. */
export function normalizePhoneInput(raw: string): string {
  const compact = raw.replace(/[\s().-]/g, '');

  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/** E.164: a plus, a country code that does not start with 0, at most fifteen digits in all. */
export function isE164(phone: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(phone);
}

export const phoneHint = 'Include the country code, starting with +, e.g. +44 7700 900123.';

export const phoneProblem = 'Enter the full number with its country code, starting with +.';
