// Shared (browser and Node). Parley's end-to-end encryption, behind one small interface: the web
// app, the tests, the benchmarks and third-party clients all use this and nothing below it, so
// that the MLS library (ts-mls) can be replaced without touching them.
export {
  authenticationService,
  verifyCredential,
  type AuthenticationPolicy,
  type DeviceDirectory,
  type DeviceIntroduction,
  type IdentityPins,
} from './authentication.ts';
export { fromBase64, toBase64 } from './bytes.ts';
export {
  contentLimits,
  contentVersion,
  decodeContent,
  encodeContent,
  excerptOf,
  newContentId,
  parseContentId,
  type ContentId,
  type DeleteContent,
  type EditContent,
  type MediaContent,
  type MessageContent,
  type MessageRef,
  type ReactionContent,
  type ReplyContent,
  type SystemContent,
  type SystemNotice,
  type TextContent,
  type UnsupportedContent,
} from './content.ts';
export { introduceDevice, verifyIntroduction } from './device-introduction.ts';
export { DeviceKeys } from './device-keys.ts';
export {
  cryptoErrorCodes,
  isCryptoError,
  ParleyCryptoError,
  type CryptoErrorCode,
} from './errors.ts';
export {
  Group,
  groupIdOf,
  type GroupMember,
  type PendingCommit,
  type Received,
} from './group.ts';
export {
  credentialFor,
  deviceOfCredential,
  type DeviceIdentity,
  type DeviceRef,
} from './identity.ts';
export {
  inspectKeyPackage,
  keyPackageLifetimeSeconds,
  type InspectedKeyPackage,
  type KeyPackageOptions,
} from './key-packages.ts';
export {
  decryptMedia,
  decryptMediaStream,
  encryptMedia,
  encryptMediaStream,
  mediaChunkBytes,
  mediaCiphertextSize,
  mediaPlaintextSize,
  type EncryptedMedia,
  type EncryptedMediaSummary,
  type MediaEncryption,
  type MediaSecrets,
  type MediaSource,
} from './media.ts';
export {
  compareSafetyNumberQr,
  computeSafetyNumber,
  safetyNumberVersion,
  userFingerprint,
  type SafetyNumber,
  type SafetyNumberComparison,
  type SafetyNumberUser,
} from './safety-number.ts';
export { SerialQueue } from './serial-queue.ts';
export { cipherSuiteName } from './suite.ts';
export { isWelcome, readHandshakeHeader, type HandshakeHeader } from './wire.ts';
