import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import type { HubEnv } from './env.ts';
import { clientAddressFrom, clientAddressOf, trustedProxies } from './client-address.ts';
import { rateLimit, TokenBuckets } from './rate-limit.ts';

test('X-Forwarded-For is believed only from a trusted proxy, read from the right', () => {
  const trusted = trustedProxies('127.0.0.1, 10.0.0.0/8');
  // a client straight on the socket: its own header is a lie it may tell, and is ignored
  assert.equal(clientAddressOf('203.0.113.7', '198.51.100.1', trusted), '203.0.113.7');
  // through the balancer: the address it appended
  assert.equal(clientAddressOf('127.0.0.1', '203.0.113.7', trusted), '203.0.113.7');
  // a spoofed entry left of the balancer's does not count: the balancer saw 203.0.113.7
  assert.equal(clientAddressOf('127.0.0.1', '198.51.100.1, 203.0.113.7', trusted), '203.0.113.7');
  // two trusted hops (balancer → internal proxy → hub)
  assert.equal(clientAddressOf('10.1.2.3', '203.0.113.7, 10.9.9.9', trusted), '203.0.113.7');
  // an IPv4 peer on a dual-stack socket
  assert.equal(clientAddressOf('::ffff:127.0.0.1', '203.0.113.7', trusted), '203.0.113.7');
  // garbage in the header stops at the nearest address a trusted hop vouched for
  assert.equal(clientAddressOf('127.0.0.1', 'not-an-ip', trusted), '127.0.0.1');
  // nothing trusted (the default): the peer, whatever the header
  assert.equal(clientAddressOf('127.0.0.1', '203.0.113.7', trustedProxies(undefined)), '127.0.0.1');
  assert.equal(clientAddressOf(undefined, '203.0.113.7', trusted), 'unknown');
});

test('TRUSTED_PROXIES refuses what is not an address or a CIDR range', () => {
  for (const bad of ['localhost', '10.0.0.0/33', '10.0.0.0/x', '::1/129', '1.2.3'])
    assert.throws(() => trustedProxies(bad), /TRUSTED_PROXIES: ".+" is not an IP address or CIDR range/, bad);
  assert.ok(trustedProxies('::1, fd00::/8')('fd12::5'));
});

test('a spoofed X-Forwarded-For from an untrusted peer does not buy a fresh rate-limit bucket', async () => {
  const app = (spec: string | undefined) =>
    new Hono<HubEnv>()
      .use(clientAddressFrom(trustedProxies(spec)))
      .use(rateLimit(new TokenBuckets({ burst: 2, perSecond: 0.001 }), { ms: 0, perCaller: 0 }))
      .get('/', (c) => c.text(c.var.clientAddress));
  // what @hono/node-server hands the app: the socket of the request
  const from = (peer: string) => ({ incoming: { socket: { remoteAddress: peer } } });
  const send = (a: Hono<HubEnv>, peer: string, xff: string) => a.request('/', { headers: { 'x-forwarded-for': xff } }, from(peer));

  const direct = app('127.0.0.1');
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await send(direct, '198.51.100.9', `203.0.113.${i}`)).status);
  assert.deepEqual(statuses, [200, 200, 429, 429], 'one bucket for the one peer, whatever it claims');

  const behind = app('127.0.0.1');
  const seen = [];
  for (let i = 0; i < 4; i++) {
    const r = await send(behind, '127.0.0.1', `203.0.113.${i}`);
    seen.push(`${r.status} ${await r.text()}`);
  }
  assert.deepEqual(
    seen,
    ['200 203.0.113.0', '200 203.0.113.1', '200 203.0.113.2', '200 203.0.113.3'],
    'each client its own bucket behind the balancer',
  );
});
