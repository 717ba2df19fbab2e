// Signing in and staying signed in: malformed numbers, wrong, old and over-guessed codes, rate
// limits, unknown and revoked tokens, and WebSockets without a token or from a foreign origin,
// each refused with its stable error code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { errorCode, gql, ok, signUp, startCluster, subscribe } from './support/harness.js';

const cluster = await startCluster({ limits: { codesPerNumber: { limit: 3, windowMs: 60_000 } } });
const server = cluster.servers[0]!;

const requestCode =
  'mutation($p: String!) { requestVerificationCode(input: { phoneNumber: $p }) { phoneNumber } }';
const verify = `mutation($p: String!, $c: String!) {
  verifyCode(input: { phoneNumber: $p, code: $c, deviceName: "test" }) { token }
}`;

describe('sign-in input', () => {
  it('refuses malformed phone numbers', async () => {
    for (const phoneNumber of ['', '4155550123', '+1 415', '+999999999999', 'x'.repeat(500)]) {
      assert.equal(
        await errorCode(server, requestCode, { p: phoneNumber }),
        'INVALID_PHONE_NUMBER',
        phoneNumber,
      );
    }
  });

  it('refuses a wrong code, then voids the code after too many attempts', async () => {
    const phoneNumber = '+14155550101';
    await ok(server, requestCode, { p: phoneNumber });
    const right = cluster.codes.for(phoneNumber);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      assert.equal(await errorCode(server, verify, { p: phoneNumber, c: wrong }), 'INVALID_CODE');
    }
    assert.equal(
      await errorCode(server, verify, { p: phoneNumber, c: right }),
      'TOO_MANY_ATTEMPTS',
      'even the right code no longer works',
    );
  });

  it('refuses a code that was never sent, or was already used', async () => {
    assert.equal(
      await errorCode(server, verify, { p: '+14155550102', c: '123456' }),
      'INVALID_CODE',
    );
    const phoneNumber = '+14155550103';
    await ok(server, requestCode, { p: phoneNumber });
    const code = cluster.codes.for(phoneNumber);
    await ok(server, verify, { p: phoneNumber, c: code });
    assert.equal(await errorCode(server, verify, { p: phoneNumber, c: code }), 'INVALID_CODE');
  });

  it('limits how many codes one number is sent', async () => {
    const phoneNumber = '+14155550104';
    for (let i = 0; i < 3; i += 1) await ok(server, requestCode, { p: phoneNumber });
    const result = await gql(server, requestCode, { p: phoneNumber });
    assert.equal(result.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(result.errors?.[0]?.extensions?.retryAfterMs) > 0);
  });

  it('refuses an expired code', async () => {
    const shortLived = await startCluster({ limits: { codeTtlMs: 50 } });
    const phoneNumber = '+14155550105';
    await ok(shortLived.servers[0]!, requestCode, { p: phoneNumber });
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(
      await errorCode(shortLived.servers[0]!, verify, {
        p: phoneNumber,
        c: shortLived.codes.for(phoneNumber),
      }),
      'CODE_EXPIRED',
    );
  });
});

describe('authentication', () => {
  it('refuses no token, an unknown token and a malformed header', async () => {
    assert.equal(await errorCode(server, '{ viewer { user { id } } }'), 'UNAUTHENTICATED');
    assert.equal(
      await errorCode(server, '{ viewer { user { id } } }', {}, 'pdt_unknown'),
      'UNAUTHENTICATED',
    );
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ viewer { user { id } } }' }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, 'UNAUTHENTICATED');
  });

  it('refuses a revoked device’s token and closes its sockets at once', async () => {
    const phoneNumber = '+14155550106';
    const phone = await signUp(cluster, { phoneNumber, deviceName: 'phone' });
    const laptop = await signUp(cluster, { phoneNumber, deviceName: 'laptop' });
    const socket = await subscribe(server, laptop.token);

    const devices = await ok(server, '{ viewer { devices { id name current } } }', {}, phone.token);
    assert.deepEqual(
      devices.viewer.devices.map((device: any) => [device.name, device.current]),
      [
        ['phone', true],
        ['laptop', false],
      ],
    );
    await ok(
      server,
      'mutation($d: ID!) { revokeDevice(input: { deviceId: $d }) { id } }',
      { d: laptop.deviceId },
      phone.token,
    );
    const closed = await socket.closed;
    assert.equal(closed.code, 4403);
    assert.equal(
      await errorCode(server, '{ viewer { user { id } } }', {}, laptop.token),
      'DEVICE_REVOKED',
    );
    const refused = await subscribe(server, laptop.token);
    assert.equal((await refused.closed).code, 4403, 'a revoked token cannot reconnect');
    // The other device is untouched.
    await ok(server, '{ viewer { user { id } } }', {}, phone.token);
  });

  it('refuses to revoke another user’s device', async () => {
    const alice = await signUp(cluster);
    const mallory = await signUp(cluster);
    assert.equal(
      await errorCode(
        server,
        'mutation($d: ID!) { revokeDevice(input: { deviceId: $d }) { id } }',
        { d: alice.deviceId },
        mallory.token,
      ),
      'NOT_FOUND',
    );
  });

  it('refuses a WebSocket without a token', async () => {
    const anonymous = await subscribe(server, undefined);
    assert.equal((await anonymous.closed).code, 4403);
  });

  it('refuses a WebSocket upgrade from a foreign browser origin', async () => {
    const alice = await signUp(cluster);
    const foreign = await subscribe(server, alice.token, undefined, {
      origin: 'https://evil.example',
    });
    const closed = await foreign.closed;
    assert.notEqual(closed.code, 1000);
    assert.equal(foreign.events.length, 0);
    const sameOrigin = await subscribe(server, alice.token, undefined, { origin: server.url });
    assert.equal(sameOrigin.errors.length, 0);
    await sameOrigin.dispose();
  });
});
