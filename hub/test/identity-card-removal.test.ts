// A resident's session must not outlive the card: the agent's identity flow (real, reading the
// simulated chip) against a real hub, with the network failing the first "card removed" requests.
// The agent keeps trying until the hub has ended the session; a reconnecting agent with no
// verified resident ends whatever session the hub still holds for its station.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardState } from '@tram/contracts';
import { freshDatabase, startTestHub } from './support/env.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { IdentityFlow } from '@tram/station-agent/gateway/identity-flow.ts';
import { readDocument } from '@tram/station-agent/card/read-document.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let dir: string;
const v = virtualCccd();

before(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'csca-'));
  writeFileSync(join(dir, 'csca.pem'), v.doc.cscaPem);
  hub = await startTestHub(db.url, { CSCA_PATHS: dir });
});
after(async () => {
  await hub?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const openSessions = async () => (await db.sql`SELECT count(*)::int AS n FROM citizen_sessions WHERE ended_at IS NULL`)[0]!.n as number;

/** The agent's flow wired to the real hub; `dropDeletes` DELETEs are lost on the network. */
function flowWith(dropDeletes: number) {
  let dropped = 0;
  const states: CardState[] = [];
  const flow = new IdentityFlow({
    async hub(method, path, body) {
      if (method === 'DELETE' && dropped < dropDeletes) {
        dropped++;
        throw new Error('network down');
      }
      const r = await fetch(hub.url + path, {
        method,
        headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    readCard: (access, challenge) => readDocument(v.chip(), access, { challenge }),
    isAccessDenied: () => false,
    onState: (s) => states.push(s),
    onSession: () => {},
    retryDelayMs: () => 50,
  });
  return { flow, states, dropped: () => dropped };
}

async function until(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('card removed while the hub is unreachable: the agent retries until the session has ended', async () => {
  const { flow, dropped } = flowWith(3);
  flow.readerPresent(true);
  flow.cardInserted();
  await flow.submitAccess(v.access);
  assert.equal(flow.state().state, 'verified');
  assert.equal(await openSessions(), 1);
  flow.cardRemoved();
  await until('the session to end', async () => (await openSessions()) === 0);
  assert.equal(dropped(), 3, 'three requests were lost before one got through');
  const [s] = await db.sql`SELECT end_reason FROM citizen_sessions ORDER BY opened_at DESC LIMIT 1`;
  assert.equal(s!.end_reason, 'card_removed');
});

test('an agent that (re)connects with no verified resident ends the session the hub still holds', async () => {
  const first = flowWith(1_000_000); // this agent never gets its DELETE through, then "restarts"
  first.flow.readerPresent(true);
  first.flow.cardInserted();
  await first.flow.submitAccess(v.access);
  assert.equal(await openSessions(), 1);
  const restarted = flowWith(0);
  restarted.flow.readerPresent(true);
  restarted.flow.hubConnected();
  await until('the session to end', async () => (await openSessions()) === 0);
  first.flow.submitAccess(v.access).catch(() => {}); // stops the first flow's retry loop
});
