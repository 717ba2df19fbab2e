// Shared (browser and Node). Everything secret a device holds outside its groups: its identity
// and the private halves of the key packages it has published.
import { decodeKeyPackage } from 'ts-mls/keyPackage.js';
import { encode } from 'ts-mls/codec/tlsEncoder.js';
import { keyPackageEncoder } from 'ts-mls/keyPackage.js';

import { ParleyCryptoError } from './errors.ts';
import { createDeviceIdentity, type DeviceIdentity, type DeviceRef } from './identity.ts';
import {
  createKeyPackage,
  encodeKeyPackage,
  KeyPackageStore,
  type KeyPackageOptions,
  type KeyPackageSecret,
} from './key-packages.ts';
import { StateReader, StateWriter } from './state-codec.ts';

const stateTag = 'PDK1';
const stateVersion = 1;

export class DeviceKeys {
  readonly identity: DeviceIdentity;
  readonly keyPackages: KeyPackageStore;

  private constructor(identity: DeviceIdentity, keyPackages: KeyPackageStore) {
    this.identity = identity;
    this.keyPackages = keyPackages;
  }

  static async create(device: DeviceRef): Promise<DeviceKeys> {
    return new DeviceKeys(await createDeviceIdentity(device), new KeyPackageStore());
  }

  /** One-time key packages to upload, in their wire form; their private halves are kept. */
  async createKeyPackages(count: number, options: KeyPackageOptions = {}): Promise<Uint8Array[]> {
    if (!Number.isInteger(count) || count < 1 || count > 1000) {
      throw new ParleyCryptoError('INVALID_OPERATION', 'Make between 1 and 1000 key packages.');
    }
    const made: Uint8Array[] = [];
    for (let i = 0; i < count; i++) made.push(await this.#make(false, options));
    return made;
  }

  /**
   * A new last-resort key package. The previous one is kept, because the server may have handed
   * it out already and a Welcome to it may still be on its way; older ones are deleted.
   */
  async createLastResortKeyPackage(): Promise<Uint8Array> {
    const previous = this.keyPackages.all().filter((secret) => secret.lastResort);
    for (const old of previous.slice(0, -1)) this.keyPackages.delete(old);
    return this.#make(true);
  }

  async #make(lastResort: boolean, options: KeyPackageOptions = {}): Promise<Uint8Array> {
    const secret = await createKeyPackage(this.identity, lastResort, options);
    this.keyPackages.add(secret);
    return encodeKeyPackage(secret.publicPackage);
  }

  serialize(): Uint8Array {
    const writer = new StateWriter(stateTag, stateVersion)
      .text(this.identity.userId)
      .text(this.identity.deviceId)
      .bytes(this.identity.signaturePublicKey)
      .bytes(this.identity.signaturePrivateKey);
    const secrets = this.keyPackages.all();
    writer.u32(secrets.length);
    for (const secret of secrets) {
      writer
        .bytes(secret.ref)
        .bytes(encode(keyPackageEncoder)(secret.publicPackage))
        .bytes(secret.privatePackage.initPrivateKey)
        .bytes(secret.privatePackage.hpkePrivateKey)
        .u32(secret.lastResort ? 1 : 0);
    }
    return writer.finish();
  }

  static deserialize(bytes: Uint8Array): DeviceKeys {
    const reader = new StateReader(bytes, stateTag, stateVersion, 'device key state');
    const identity: DeviceIdentity = {
      userId: reader.text(),
      deviceId: reader.text(),
      signaturePublicKey: reader.bytes(),
      signaturePrivateKey: reader.bytes(),
    };
    const count = reader.u32();
    const secrets: KeyPackageSecret[] = [];
    for (let i = 0; i < count; i++) {
      const ref = reader.bytes();
      const encoded = reader.bytes();
      const publicPackage = decodeKeyPackage(encoded, 0)?.[0];
      if (!publicPackage) {
        throw new ParleyCryptoError('MALFORMED', 'The device key state holds a bad key package.');
      }
      secrets.push({
        ref,
        publicPackage,
        privatePackage: {
          initPrivateKey: reader.bytes(),
          hpkePrivateKey: reader.bytes(),
          signaturePrivateKey: identity.signaturePrivateKey,
        },
        lastResort: reader.u32() === 1,
      });
    }
    reader.end();
    return new DeviceKeys(identity, new KeyPackageStore(secrets));
  }
}
