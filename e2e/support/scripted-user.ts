// Test-only. A second user driven by a script instead of a browser: signed up over the API and
// running the API's MLS test client, so that a test (or the chat-list benchmark) can have
// hundreds of messages written in seconds.
import type { ParleyServer } from '@parley/api/src/server.ts';
import { ok } from '@parley/api/test/support/harness.ts';
import { MlsDevice } from '@parley/api/test/support/mls-device.ts';

import type { CodeInbox } from './code-inbox.ts';

/** Signs a user up, names them, and starts their device listening to its events. */
export async function scriptedUser(
  server: ParleyServer,
  codes: CodeInbox,
  phoneNumber: string,
  name: string,
): Promise<MlsDevice> {
  await ok(
    server,
    'mutation($p: String!) { requestVerificationCode(input: { phoneNumber: $p }) { phoneNumber } }',
    { p: phoneNumber },
  );
  const data = await ok<{
    verifyCode: { token: string; user: { id: string }; device: { id: string } };
  }>(
    server,
    `mutation($p: String!, $c: String!) {
      verifyCode(input: { phoneNumber: $p, code: $c, deviceName: "script" }) {
        token user { id } device { id }
      }
    }`,
    { p: phoneNumber, c: await codes.waitForCode(phoneNumber) },
  );
  const { token, user, device } = data.verifyCode;
  await ok(
    server,
    'mutation($n: String!) { updateProfile(input: { displayName: $n }) { id } }',
    { n: name },
    token,
  );
  const mls = await MlsDevice.create(
    server,
    { token, userId: user.id, deviceId: device.id, phoneNumber },
    5,
  );
  await mls.listen();
  return mls;
}

/** The conversation whose group the device joined first, once it has joined one. */
export async function firstGroupOf(device: MlsDevice, timeoutMs = 30_000): Promise<string> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const [conversationId] = device.groups.keys();
    if (conversationId) return conversationId;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the scripted user was never added to a conversation');
}
