import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { eventOf, socketLoop } from './socket-loop.ts';

const WebSocket = NodeWebSocket as unknown as new (url: string) => globalThis.WebSocket;
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

async function server() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, close: () => new Promise((r) => wss.close(r)) };
}

test('reconnects after the server drops the socket, delivers messages, and stays down after stop', async () => {
  const s = await server();
  let opens = 0,
    closes = 0;
  const got: string[] = [];
  s.wss.on('connection', (ws) => ws.send(`hello ${s.wss.clients.size}`));
  const loop = socketLoop({
    address: () => s.url,
    WebSocket,
    retryMs: 20,
    onOpen: () => opens++,
    onClose: () => closes++,
    onMessage: (m) => got.push(m),
  });
  await until(() => got.length === 1);
  for (const c of s.wss.clients) c.terminate();
  await until(() => opens === 2 && got.length === 2);
  assert.equal(closes, 1);
  loop.stop();
  await until(() => s.wss.clients.size === 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(opens, 2, 'no attempt after stop');
  assert.equal(closes, 1, 'a stop is not reported as a drop');
  await s.close();
});

test('gives up after the allowed failures in a row, whether the address or the socket fails', async () => {
  let asked = 0,
    gaveUp = 0;
  socketLoop({
    address: () => {
      asked++;
      throw new Error('no token');
    },
    WebSocket,
    retryMs: 5,
    maxFailures: 3,
    onGiveUp: () => gaveUp++,
    onMessage: () => {},
  });
  await until(() => gaveUp === 1);
  assert.equal(asked, 3);

  const s = await server();
  const port = Number(new URL(s.url).port);
  await s.close(); // nothing listens there now
  let closes = 0;
  socketLoop({
    address: () => `ws://127.0.0.1:${port}`,
    WebSocket,
    retryMs: 5,
    maxFailures: 2,
    onClose: () => closes++,
    onGiveUp: () => gaveUp++,
    onMessage: () => {},
  });
  await until(() => gaveUp === 2);
  assert.equal(closes, 2);
});

test("with success: 'confirmed', a socket that opens but is never confirmed still counts as a failure", async () => {
  const s = await server();
  s.wss.on('connection', (ws) => ws.close());
  let gaveUp = false,
    opens = 0;
  socketLoop({
    address: () => s.url,
    WebSocket,
    retryMs: 5,
    maxFailures: 3,
    success: 'confirmed',
    onOpen: () => opens++,
    onGiveUp: () => {
      gaveUp = true;
    },
    onMessage: () => {},
  });
  await until(() => gaveUp);
  assert.equal(opens, 3);

  // confirming each connection keeps the loop going
  let confirmedOpens = 0;
  const loop = socketLoop({
    address: () => s.url,
    WebSocket,
    retryMs: 5,
    maxFailures: 2,
    success: 'confirmed',
    onOpen: () => {
      confirmedOpens++;
      loop.confirmed();
    },
    onGiveUp: () => assert.fail('gave up'),
    onMessage: () => {},
  });
  await until(() => confirmedOpens >= 5);
  loop.stop();
  await s.close();
});

test('eventOf takes {type, data} frames and nothing else', () => {
  assert.deepEqual(eventOf('{"type":"call.ended","data":{"x":1}}'), { type: 'call.ended', data: { x: 1 } });
  assert.equal(eventOf('not json'), null);
  assert.equal(eventOf('{"data":1}'), null);
  assert.equal(eventOf('null'), null);
});
