// The operations of Parley's public GraphQL API (schema.graphql) that this client uses, each
// returning checked, typed values. Ids are the API's global ids, used as opaque strings.
import { toBase64 } from '@parley/crypto';

import type { GraphQLClient } from './graphql-client.ts';
import type { WireReader } from './wire-reader.ts';

/** A signed-in device: its token and the ids the API and MLS credentials name it by. */
export type Account = {
  readonly token: string;
  readonly userId: string;
  readonly deviceId: string;
};

/** What the server has left of this device's key packages (schema: KeyPackageStock). */
export type KeyPackageStock = { readonly available: number; readonly lastResort: boolean };

/** One entry of a user's device directory (schema: DeviceKey). */
export type DirectoryEntry = {
  readonly userId: string;
  readonly deviceId: string;
  readonly signatureKey: Uint8Array;
  readonly revoked: boolean;
};

export type ReceiptKind = 'delivered' | 'read';

const readStock = (stock: WireReader): KeyPackageStock => ({
  available: stock.integer('available'),
  lastResort: stock.boolean('lastResort'),
});

export class ParleyApi {
  readonly #client: GraphQLClient;

  constructor(client: GraphQLClient) {
    this.#client = client;
  }

  /** Uses this token for every later operation. */
  signedInAs(account: Account): void {
    this.#client.token = account.token;
  }

  async requestVerificationCode(phoneNumber: string): Promise<void> {
    await this.#client.request(
      `mutation RequestCode($phoneNumber: String!) {
        requestVerificationCode(input: { phoneNumber: $phoneNumber }) { phoneNumber }
      }`,
      { phoneNumber },
      () => undefined,
    );
  }

  verifyCode(phoneNumber: string, code: string, deviceName: string): Promise<Account> {
    return this.#client.request(
      `mutation VerifyCode($phoneNumber: String!, $code: String!, $deviceName: String!) {
        verifyCode(input: { phoneNumber: $phoneNumber, code: $code, deviceName: $deviceName }) {
          token user { id } device { id }
        }
      }`,
      { phoneNumber, code, deviceName },
      (data) => {
        const signIn = data.object('verifyCode');
        return {
          token: signIn.string('token'),
          userId: signIn.object('user').string('id'),
          deviceId: signIn.object('device').string('id'),
        };
      },
    );
  }

  /** Publishes the device's MLS signature key. Sending the same key again is accepted. */
  async registerDeviceKey(signatureKey: Uint8Array): Promise<void> {
    await this.#client.request(
      `mutation RegisterDeviceKey($signatureKey: Bytes!) {
        registerDeviceKey(input: { signatureKey: $signatureKey }) { deviceId }
      }`,
      { signatureKey: toBase64(signatureKey) },
      () => undefined,
    );
  }

  /** Stores one-time key packages and, when given, replaces the last-resort one. */
  uploadKeyPackages(
    keyPackages: readonly Uint8Array[],
    lastResort: Uint8Array | undefined,
  ): Promise<KeyPackageStock> {
    return this.#client.request(
      `mutation UploadKeyPackages($keyPackages: [Bytes!]!, $lastResort: Bytes) {
        uploadKeyPackages(input: { keyPackages: $keyPackages, lastResort: $lastResort }) {
          available lastResort
        }
      }`,
      { keyPackages: keyPackages.map(toBase64), lastResort: lastResort && toBase64(lastResort) },
      (data) => readStock(data.object('uploadKeyPackages')),
    );
  }

  keyPackageStock(): Promise<KeyPackageStock> {
    return this.#client.request(
      'query KeyPackageStock { viewer { keyPackageStock { available lastResort } } }',
      {},
      (data) => readStock(data.object('viewer').object('keyPackageStock')),
    );
  }

  /** The user's device directory; empty when the API knows no such user. */
  deviceDirectory(userId: string): Promise<DirectoryEntry[]> {
    return this.#client.request(
      `query DeviceDirectory($userId: ID!) {
        user(id: $userId) { deviceKeys { deviceId signatureKey revoked user { id } } }
      }`,
      { userId },
      (data) =>
        (data.nullableObject('user')?.list('deviceKeys') ?? []).map((entry) => ({
          userId: entry.object('user').string('id'),
          deviceId: entry.string('deviceId'),
          signatureKey: entry.bytes('signatureKey'),
          revoked: entry.boolean('revoked'),
        })),
    );
  }

  /**
   * Stores a ciphertext in the conversation's log. Idempotent by `clientMessageId`: sending the
   * same id again returns the first result with `duplicate` set, and stores nothing new.
   */
  sendMessage(
    conversationId: string,
    clientMessageId: string,
    ciphertext: Uint8Array,
  ): Promise<{ seq: number; duplicate: boolean }> {
    return this.#client.request(
      `mutation SendMessage($conversationId: ID!, $clientMessageId: String!, $ciphertext: Bytes!) {
        sendMessage(input: {
          conversationId: $conversationId
          clientMessageId: $clientMessageId
          ciphertext: $ciphertext
        }) { duplicate message { seq } }
      }`,
      { conversationId, clientMessageId, ciphertext: toBase64(ciphertext) },
      (data) => {
        const sent = data.object('sendMessage');
        return { seq: sent.object('message').integer('seq'), duplicate: sent.boolean('duplicate') };
      },
    );
  }

  /** Moves this user's delivered (or read, which implies delivered) cursor up to `seq`. */
  async markReceipt(conversationId: string, kind: ReceiptKind, seq: number): Promise<void> {
    const field = kind === 'read' ? 'markRead' : 'markDelivered';
    await this.#client.request(
      `mutation MarkReceipt($conversationId: ID!, $seq: Int!) {
        ${field}(input: { conversationId: $conversationId, seq: $seq }) { joinedAt }
      }`,
      { conversationId, seq },
      () => undefined,
    );
  }
}
