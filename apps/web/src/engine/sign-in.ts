// Browser-only (page). Signing this browser in as a device: a code goes to the phone number, and
// the code buys a device token. Nothing is stored until the code is accepted.
import type { Account } from '../shared/local-database.ts';
import { Api } from './api.ts';
import { createApiClients } from './graphql-client.ts';
import { requestCodeMutation, verifyCodeMutation } from './operations.ts';

export type SignedIn = { readonly account: Account; readonly isNewUser: boolean };

export class SignIn {
  readonly #api: Api;
  #phoneNumber: string | undefined;

  constructor() {
    this.#api = new Api(createApiClients(undefined).client);
  }

  /** Sends a one-time code; answers the number as the server normalised it (E.164). */
  async requestCode(phoneNumber: string): Promise<string> {
    const data = await this.#api.mutate(requestCodeMutation, { phoneNumber });
    this.#phoneNumber = data.requestVerificationCode.phoneNumber as string;
    return this.#phoneNumber;
  }

  async verify(code: string): Promise<SignedIn> {
    const phoneNumber = this.#phoneNumber;
    if (!phoneNumber) throw new Error('Ask for a code first.');
    const data = await this.#api.mutate(verifyCodeMutation, {
      phoneNumber,
      code,
      deviceName: describeBrowser(),
    });
    const result = data.verifyCode;
    return {
      account: {
        token: result.token,
        userId: result.user.id,
        deviceId: result.device.id,
        phoneNumber: result.user.phoneNumber,
      },
      isNewUser: result.isNewUser,
    };
  }
}

/** "Chrome on Linux": how this device is listed among the user's devices. */
function describeBrowser(): string {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrome\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : 'Browser';
  const system = /Android/.test(agent)
    ? 'Android'
    : /iPhone|iPad/.test(agent)
      ? 'iOS'
      : /Windows/.test(agent)
        ? 'Windows'
        : /Mac OS/.test(agent)
          ? 'macOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : 'the web';
  return `${browser} on ${system}`;
}
