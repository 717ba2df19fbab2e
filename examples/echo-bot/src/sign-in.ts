// Signing a new device in: the server sends a one-time code to the phone number, and the code
// buys a token for this device alone. A new device is a new member of every MLS group it joins.
import type { CodeSource } from './code-source.ts';
import { ConfigError } from './errors.ts';
import type { Account, ParleyApi } from './parley-api.ts';

/** How the bot's device is listed in its user's devices. */
const deviceName = 'Echo bot';

export async function signIn(
  api: ParleyApi,
  phoneNumber: string | undefined,
  codeSource: CodeSource,
  signal: AbortSignal,
): Promise<Account> {
  if (phoneNumber === undefined) {
    throw new ConfigError(
      'The state file holds no token yet: set PARLEY_PHONE to the bot’s phone number to sign in.',
    );
  }
  await api.requestVerificationCode(phoneNumber);
  const code = await codeSource(phoneNumber, signal);
  return api.verifyCode(phoneNumber, code, deviceName);
}
