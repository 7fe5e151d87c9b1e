// The kiosk's agent client against the real station agent: the contracts' routes and bodies are
// what the agent serves and accepts (no hub needed: the agent answers for itself).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { agentClient } from '../src/clients/agent.ts';

let agent: RunningAgent;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tram-agent-client-'));
  // nothing listens on port 9: the hub is down, which the agent reports honestly
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: 'http://127.0.0.1:9',
    credential: 'test-station:test-secret-0123456789',
    dataDir: dir,
    uiDir: dir,
    cardReader: 'off',
  });
});
after(async () => {
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('SOS goes into the outbox and the state says so; measure and card access answer as the contracts say', async () => {
  const client = agentClient(agent.url, agent.key);
  const sos = await client.sos();
  assert.equal(sos?.state, 'sending');
  const state = await client.state();
  assert.equal(state?.hub, 'down');
  assert.equal(state?.sos.state, 'sending');
  assert.ok(await client.measure({ kind: 'spo2' }), 'a booth kind is accepted');
  // this station has no reader: the access data is refused, not lost silently
  assert.equal(await client.cardAccess({ can: '123456' }), null);
});
