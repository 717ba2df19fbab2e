// Server-only. The authenticated device behind an operation, and its user.
import type { DeviceId, UserId } from './ids.js';

export type Viewer = { readonly userId: UserId; readonly deviceId: DeviceId };
