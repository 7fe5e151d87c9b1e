// The agent's door: only the kiosk page it served may command it. Another page in the kiosk's
// browser (foreign Origin), a DNS-rebound name (foreign Host), a caller without the per-boot key,
// or a form/text body is refused and nothing happens; binding beyond loopback needs TLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startAgent, type RunningAgent } from '../src/gateway/server.ts';

let agent: RunningAgent;
let dir: string;
let port: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tram-agent-door-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>k</title></head><body><div id="root"></div></body></html>');
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: 'http://127.0.0.1:9', // nothing listens: an SOS stays in the outbox, "sending"
    credential: 'test-station:test-secret-0123456789',
    dataDir: dir,
    uiDir: dir,
    cardReader: 'off',
  });
  port = Number(new URL(agent.url).port);
});
after(async () => {
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request (fetch cannot forge Host), as a browser would send it. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const good = () => ({ 'x-tram-agent-key': agent.key, 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` });
const sosState = async () => JSON.parse((await raw('GET', '/agent/state', good())).body).sos.state as string;

test('the served page carries the key; a rebound Host gets neither the page nor the API', async () => {
  const page = await raw('GET', '/', {});
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`<meta name="tram-agent-key" content="${agent.key}">`));
  for (const host of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'attacker.test']) {
    const p = await raw('GET', '/', { host });
    assert.equal(p.status, 421, host);
    assert.equal(p.body.includes(agent.key), false);
    assert.equal((await raw('GET', '/agent/state', { ...good(), host })).status, 421, host);
    assert.equal((await raw('POST', '/agent/sos', { ...good(), host }, '{}')).status, 421, host);
  }
  assert.equal((await raw('GET', '/', { host: `localhost:${port}` })).status, 200);
});

test('commands without the key, with a wrong key, from a foreign Origin or not as JSON are refused and do nothing', async () => {
  const { 'x-tram-agent-key': _k, ...noKey } = good();
  const cases: [string, Record<string, string>, string, number][] = [
    ['no key', noKey, '{}', 403],
    ['wrong key', { ...good(), 'x-tram-agent-key': 'f'.repeat(64) }, '{}', 403],
    ['foreign Origin', { ...good(), origin: 'https://evil.example' }, '{}', 403],
    ['null Origin (sandboxed frame)', { ...good(), origin: 'null' }, '{}', 403],
    ['text/plain body', { ...good(), 'content-type': 'text/plain' }, '{}', 415],
    ['form body', { ...good(), 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', 415],
    ['no content type', (({ 'content-type': _c, ...h }) => h)(good()), '', 415],
  ];
  for (const [what, headers, body, status] of cases) {
    for (const path of [
      '/agent/sos',
      '/agent/vitals/measure',
      '/agent/card/access',
      '/api/calls/00000000-0000-0000-0000-000000000000/end',
    ]) {
      const r = await raw('POST', path, headers, body);
      assert.equal(r.status, status, `${what} ${path}`);
      assert.doesNotMatch(r.body, /at .*\.ts/, 'no stack trace');
    }
    assert.equal(
      (await raw('GET', '/agent/state', { ...headers, 'content-type': 'application/json' })).status === 200,
      what.endsWith('body') || what === 'no content type',
      what,
    );
  }
  assert.equal(await sosState(), 'idle', 'no SOS was raised');
  // The page itself (right key, own Origin, JSON) is obeyed.
  assert.equal((await raw('POST', '/agent/sos', good(), '{}')).status, 202);
  assert.equal(await sosState(), 'sending');
});

test('the socket opens only for our Host and Origin with the key', async () => {
  const open = (query: string, headers: Record<string, string>) =>
    new Promise<number | 'open'>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/agent/ws${query}`, { headers });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(0));
    });
  const origin = `http://127.0.0.1:${port}`;
  assert.equal(await open(`?key=${agent.key}`, { origin }), 'open');
  assert.equal(await open('', { origin }), 403, 'no key');
  assert.equal(await open(`?key=${'0'.repeat(64)}`, { origin }), 403, 'wrong key');
  assert.equal(await open(`?key=${agent.key}`, { origin: 'https://evil.example' }), 403, 'foreign Origin');
  assert.equal(await open(`?key=${agent.key}`, { origin, host: `rebound.example:${port}` }), 421, 'rebound Host');
});

test('binding beyond loopback without TLS is refused at start with a clear message', async () => {
  await assert.rejects(
    startAgent({
      host: '0.0.0.0',
      port: 0,
      hubUrl: 'http://127.0.0.1:9',
      credential: 'test-station:test-secret-0123456789',
      dataDir: dir,
      uiDir: dir,
      cardReader: 'off',
    }),
    /AGENT_HOST=0\.0\.0\.0 is not a loopback address.*AGENT_TLS_CERT/,
  );
});
