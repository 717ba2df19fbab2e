// GraphiQL is served from the installed package, and every operation, over HTTP or WebSocket,
// draws on the same per-device budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  graphiqlExampleHeaders,
  graphiqlExampleOperations,
} from '../src/graphql/graphiql-example.js';
import {
  errorCode,
  type GraphQLResponse,
  ok,
  signUp,
  startCluster,
  subscribe,
} from './support/harness.js';

describe('GraphiQL', () => {
  it('is served at the GraphQL endpoint with no asset from a CDN', async () => {
    const cluster = await startCluster();
    const response = await fetch(`${cluster.servers[0]!.url}/graphql`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /<title>Parley API<\/title>/);
    assert.match(page, /query MyConversations/, 'a ready example operation');
    assert.match(page, /Headers tab/, 'where the token goes');
    assert.match(page, /Bearer <paste your device token>/, 'a place for the device token');
    const externalAssets = [
      ...page.matchAll(/<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"/g),
    ];
    assert.deepEqual(
      externalAssets.map((match) => match[1]),
      [],
    );
    assert.doesNotMatch(page, /(unpkg\.com|jsdelivr\.net|cdnjs\.|esm\.sh)/, 'no CDN URL at all');
  });

  it('opens with an example whose sign-in steps work as they are, without a token', async () => {
    const cluster = await startCluster();
    const server = cluster.servers[0]!;
    const page = await (
      await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } })
    ).text();
    assert.match(page, /mutation RequestCode/);
    assert.match(page, /mutation SignIn/);

    // Run the example as GraphiQL sends it, placeholder header included.
    const run = async (operationName: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...JSON.parse(graphiqlExampleHeaders) },
        body: JSON.stringify({ query: graphiqlExampleOperations, operationName }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    const requested = await run('RequestCode');
    assert.equal(requested.errors, undefined);
    assert.equal(requested.data?.requestVerificationCode.phoneNumber, '+14155550123');
    // The example's code is a placeholder, so signing in says what is wrong with it.
    const signedIn = await run('SignIn');
    assert.equal(signedIn.errors?.[0]?.extensions?.code, 'INVALID_CODE');
    // Without a real token, reading conversations says how to send one.
    const anonymous = await run('MyConversations');
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(anonymous.errors?.[0]?.message ?? '', /Bearer <token>/);
  });

  it('opens with an example whose last step runs within the limits once signed in', async () => {
    const cluster = await startCluster();
    const alice = await signUp(cluster, { name: 'Alice' });
    const response = await fetch(`${cluster.servers[0]!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({
        query: graphiqlExampleOperations,
        operationName: 'MyConversations',
      }),
    });
    const result = (await response.json()) as GraphQLResponse;
    assert.equal(result.errors, undefined);
    assert.equal(result.data?.viewer.user.displayName, 'Alice');
  });
});

describe('subscriptions over HTTP', () => {
  it('stream as server-sent events with the Authorization header, as in GraphiQL', async () => {
    const cluster = await startCluster();
    const alice = await signUp(cluster);
    const controller = new AbortController();
    const response = await fetch(`${cluster.servers[0]!.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${alice.token}`,
      },
      body: JSON.stringify({ query: 'subscription { events { __typename } }' }),
    });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('CaughtUpEvent')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    assert.match(text, /"__typename":"CaughtUpEvent"/);
  });
});

describe('the per-device operation budget', () => {
  it('refuses operations past the budget, over HTTP and then over WebSocket', async () => {
    const cluster = await startCluster({
      limits: { operationsPerClient: { limit: 4, windowMs: 60_000 } },
    });
    const server = cluster.servers[0]!;
    // Sign-up itself runs two operations from this address, under a separate key per device.
    const alice = await signUp(cluster);
    for (let i = 0; i < 3; i += 1) await ok(server, '{ viewer { user { id } } }', {}, alice.token);
    const events = await subscribe(server, alice.token);
    // The subscription was the fourth operation; the fifth is refused, whatever the transport.
    assert.equal(
      await errorCode(server, '{ viewer { user { id } } }', {}, alice.token),
      'RATE_LIMITED',
    );
    const overSocket = await new Promise<readonly unknown[]>((resolve) => {
      events.client.subscribe(
        { query: '{ viewer { user { id } } }' },
        {
          next: (result) => resolve(result.errors ?? []),
          error: (error) => resolve([error]),
          complete: () => resolve([]),
        },
      );
    });
    assert.equal(
      (overSocket[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code,
      'RATE_LIMITED',
    );
    await events.dispose();
  });
});
