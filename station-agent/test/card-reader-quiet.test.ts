// The agent's card reader when PC/SC is not there: the kiosk shows "no reader" and the log says
// so once, not once per retry. libpcsclite finds pcscd through PCSCLITE_CSOCK_NAME, so pointing
// it at a socket nobody listens on is a kiosk whose pcscd is not running (this file runs in its
// own process; the shared pcscd is left alone).
process.env.PCSCLITE_CSOCK_NAME = '/nonexistent/tram-test/pcscd.comm';

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CardState } from '@tram/contracts';
import { startCardReader } from '../src/gateway/card-reader.ts';

test('no pcscd: "no reader" for the page, one log line for many retries', async () => {
  const lines: string[] = [];
  const states: CardState[] = [];
  const reader = startCardReader({
    retryMs: 20,
    log: (m) => lines.push(m),
    flow: { hub: async () => ({ status: 503, body: null }), onState: (s) => states.push(s), onSession: () => {} },
  });
  try {
    await new Promise((r) => setTimeout(r, 600)); // ~30 attempts
    assert.equal(reader.flow.state().state, 'no_reader');
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^card reader unavailable \(cannot reach pcscd: NoService\); retrying every 20 ms$/);
  } finally {
    await reader.stop();
  }
});
