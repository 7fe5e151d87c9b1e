// Emergency calls: raise (idempotent), answer (one winner), end, who sees which call, and the
// media join grants.
import { createHash, randomUUID } from 'node:crypto';
import type { HubDeps } from '../deps.ts';
import type { Tx } from '../db/client.ts';
import type { MediaGrant } from '../livekit/media.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';
import { participant, type CallView, type TimelineEntry } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import {
  callById,
  callByKey,
  clearMediaLost,
  insertRaisedCall,
  insertCallEvent,
  liveCalls,
  markAnswered,
  markEnded,
  openCallOf,
  requestHashOf,
  timeline,
  toView,
  type CallRow,
} from './store.ts';
import { canHandle, topicsFor } from './audience.ts';

/** Who is acting on a call: the kiosk's station or a staff member. */
export type Party = { kind: 'station'; station: Station } | { kind: 'staff'; staff: Staff };

const partyIdentity = (p: Party) => (p.kind === 'station' ? participant.station(p.station.code) : participant.staff(p.staff.username));

/** A station sees its own calls; staff the calls they may handle, and any call they answered. */
const visible = (p: Party, r: CallRow) =>
  p.kind === 'station' ? r.station_id === p.station.id : canHandle(p.staff, r) || r.answered_by === p.staff.id;

/** What raising a call answers: `created` for a new call, `joined` when the station's open call took the press. */
export interface Raised {
  created: boolean;
  joined: boolean;
  call: CallView;
  media: MediaGrant | null;
}

/** Digest of a raise request, kept with its idempotency key: a reused key must carry the same request. */
export const raiseRequestHash = (body: { kind: 'sos'; note?: string | undefined }) =>
  createHash('sha256')
    .update(JSON.stringify({ kind: body.kind, note: body.note ?? null }))
    .digest();

// Raises in progress on this instance by station and key. An agent that gets no quick answer sends
// the same request again; a copy that arrives while the first is still in flight waits for it
// instead of running a transaction that can only find the same call (a city-wide burst tripled the
// database work). Across instances, and for copies arriving later, PostgreSQL still arbitrates.
const inFlight = new Map<string, { hash: Buffer; raised: Promise<Outcome<Raised>> }>();

// Raises of one station run one after another on this instance. A station has one open call, so
// its concurrent presses can only make or join that call; run at once, a kiosk pressing in a loop
// (20 presses within its rate limit) took the pool and the event loop in the very moment another
// station's SOS arrived. Queued here, a flood costs other stations at most one raise at a time.
const stationQueues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(stationId: string, f: () => Promise<T>): Promise<T> {
  const run = (stationQueues.get(stationId) ?? Promise.resolve()).then(f, f);
  const tail = run.then(
    () => {},
    () => {},
  );
  stationQueues.set(stationId, tail);
  void tail.then(() => {
    if (stationQueues.get(stationId) === tail) stationQueues.delete(stationId);
  });
  return run;
}

/** A station pressing SOS (the kiosk's Idempotency-Key, its request body). */
export async function raiseStationCall(
  d: HubDeps,
  station: Station,
  key: string,
  body: { kind: 'sos'; note?: string | undefined },
): Promise<Outcome<Raised>> {
  const hash = raiseRequestHash(body);
  const k = `${station.id} ${key}`;
  const running = inFlight.get(k);
  if (running?.hash.equals(hash)) {
    const r = await running.raised;
    // The same call as the first copy got, answered as a retry (200, not created).
    if (r.ok) return ok({ ...r.value, created: false });
  }
  const raised = oneAtATime(station.id, () => raise(d, station, key, body.note, hash));
  if (!running) {
    inFlight.set(k, { hash, raised });
    void raised.finally(() => inFlight.delete(k)).catch(() => {});
  }
  return raised;
}

/**
 * The hub raising a call for a station (a doctor's escalation). Its keys live in their own
 * namespace: `hub:` can never be sent by a station (the Idempotency-Key alphabet has no `:`), so
 * a station cannot take a key the hub will use.
 */
export async function raiseCall(
  d: HubDeps,
  station: Station,
  key: string,
  note: string | undefined,
  withCall?: (tx: Tx, callId: string) => Promise<void>,
): Promise<Raised> {
  const r = await raise(d, station, `hub:${key}`, note, null, withCall);
  if (!r.ok) throw new Error(`raising a hub call failed: ${r.message}`);
  return r.value;
}

/**
 * Persists the call with its first timeline entries, rings police once it is durable (never for a
 * call that was not stored), then creates the LiveKit room and grants the station a token. PostgreSQL keeps one open call
 * per station: a press while one is open joins it and rings nobody again.
 * `requestHash` null: the hub's own key, whose note may differ between presses.
 * `withCall` writes what belongs to a new call in its transaction, so it exists before anyone is rung.
 */
async function raise(
  d: HubDeps,
  station: Station,
  key: string,
  note: string | undefined,
  requestHash: Buffer | null,
  withCall?: (tx: Tx, callId: string) => Promise<void>,
): Promise<Outcome<Raised>> {
  const { t1Ms, t2Ms } = d.config.escalation;
  const identity = participant.station(station.code);
  const once = onceFor(d);
  const grant = async (call: CallRow) => {
    await once(`room:${call.id}`, () => ensureRoomLogged(d, call));
    return d.media.joinToken(call.room_name, identity, station.name);
  };
  const ring = (call: CallRow) =>
    once(`ring:${call.id}`, () =>
      d.bus.publishCommitted([{ topics: topicsFor(call), type: 'call.ringing', data: { call: toView(call) } }]),
    );
  const fields = {
    stationId: station.id,
    wardId: station.wardId,
    key,
    requestHash: requestHash ?? Buffer.alloc(0),
    note: note ?? null,
    t1S: t1Ms / 1000,
    t2S: t2Ms / 1000,
    actor: identity,
    raised: { idempotencyKey: key, station: station.code },
    wardName: station.wardName,
  };
  // A few rounds: the open call that stopped the insert may end before we read it.
  for (let round = 0; round < 3; round++) {
    const call = { ...fields, room: `sos-${randomUUID()}` };
    // One statement stores the call and its timeline; withCall needs a transaction around both.
    const row = withCall
      ? await d.sql.begin(async (tx) => {
          const r = await insertRaisedCall(tx, call);
          if (r) await withCall(tx, r.id);
          return r;
        })
      : await insertRaisedCall(d.sql, call);
    if (row) {
      // Rung after the commit, not by a NOTIFY inside it: PostgreSQL makes every NOTIFYing commit
      // wait its turn for the WAL flush under one lock, so a city-wide burst queued one call behind
      // another. The station is acknowledged only after the ring went out; a hub that dies in
      // between gets the agent's retry, which rings again below.
      await ring(row);
      d.metrics.callsRaised.inc({ kind: key.startsWith('consult-') ? 'consult_escalation' : 'sos' });
      return ok({ created: true, joined: false, call: toView(row), media: await grant(row) });
    }

    const same = await callByKey(d.sql, station.id, key);
    if (same) {
      // A retry of a call we already have: same call, fresh token while it is still live.
      const stored = requestHash && (await requestHashOf(d.sql, same.id));
      if (requestHash && stored?.length && !stored.equals(requestHash))
        return fail(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
      if (same.status === 'ended') return ok({ created: false, joined: false, call: toView(same), media: null });
      // The first attempt may have stored the call and died before ringing: ring again (consoles
      // take a repeated ring of a call they have as the same call), unless this hub rang it.
      if (same.status === 'ringing') await ring(same);
      return ok({ created: false, joined: false, call: toView(same), media: await grant(same) });
    }
    const open = await openCallOf(d.sql, station.id);
    if (open) return ok({ created: false, joined: true, call: toView(open), media: await grant(open) });
  }
  return fail(503, 'busy', 'The call could not be placed; try again');
}

const ONCE_KEEP_MS = 10_000;
const onces = new WeakMap<object, Map<string, { until: number; done: Promise<unknown> }>>();

/**
 * Work this hub does once for a call, shared by the copies of one press that arrive while it does it
 * or shortly after: in a city-wide burst each retry rang every console again and asked LiveKit for
 * the room again (three rings and three CreateRooms per press in `bench sos-burst`). A retry this
 * hub has no record of (the first attempt was another hub's, or this one's before a restart) still
 * does it itself; an attempt that rejects or answers `false` (ensureRoomLogged's failure) is
 * forgotten, so the next retry tries again. Per hub (its bus), kept 10 s.
 */
function onceFor(d: HubDeps) {
  const m = onces.get(d.bus) ?? new Map<string, { until: number; done: Promise<unknown> }>();
  onces.set(d.bus, m);
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const now = Date.now();
    const had = m.get(key);
    if (had && had.until > now) return had.done as Promise<T>;
    if (m.size > 10_000) for (const [k, v] of m) if (v.until <= now) m.delete(k);
    const done = work();
    const entry = { until: now + ONCE_KEEP_MS, done };
    m.set(key, entry);
    const forget = () => {
      if (m.get(key) === entry) m.delete(key);
    };
    done.then((v) => v === false && forget(), forget);
    return done;
  };
}

/** The room is created after the call is durable; a LiveKit outage must not lose or delay the call. */
async function ensureRoomLogged(d: HubDeps, call: CallRow): Promise<boolean> {
  try {
    await d.media.ensureRoom(call.room_name);
    return true;
  } catch (err) {
    d.log.error({ err, call: call.id }, 'creating the media room failed');
    await insertCallEvent(d.sql, call.id, 'media_room_failed', 'hub', { error: String((err as Error).message ?? err) }).catch(() => {});
    return false;
  }
}

/** Live calls the party may see: a console loads these on connect, then follows /ws. */
export async function visibleLiveCalls(d: HubDeps, p: Party): Promise<CallView[]> {
  const rows = await liveCalls(d.sql, p.kind === 'station' ? p.station.id : undefined);
  return rows.filter((r) => visible(p, r)).map(toView);
}

export async function callWithTimeline(d: HubDeps, id: string, p: Party): Promise<Outcome<{ call: CallView; timeline: TimelineEntry[] }>> {
  const row = await callById(d.sql, id);
  if (!row || !visible(p, row)) return fail(404, 'not_found', 'No such call');
  return ok({ call: toView(row), timeline: await timeline(d.sql, row.id) });
}

export async function answerCall(d: HubDeps, id: string, officer: Staff): Promise<Outcome<{ call: CallView; media: MediaGrant }>> {
  const before = await callById(d.sql, id);
  if (!before || !canHandle(officer, before)) return fail(404, 'not_found', 'No such call in your area');
  const won = await d.sql.begin(async (tx) => {
    if (!(await markAnswered(tx, id, officer.id))) return null;
    const call = (await callById(tx, id))!;
    await insertCallEvent(tx, id, 'answered', participant.staff(officer.username), {
      officer: officer.username,
      name: officer.displayName,
    });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.answered', data: { call: toView(call) } });
    return call;
  });
  if (!won) {
    const now = (await callById(d.sql, id))!;
    return now.status === 'ended'
      ? fail(409, 'call_ended', 'This call has already ended')
      : fail(409, 'already_answered', `This call was already answered by ${now.answerer_name ?? 'another officer'}`);
  }
  if (won.answered_at) d.metrics.ringToAnswer.observe((won.answered_at.getTime() - won.created_at.getTime()) / 1000);
  await ensureRoomLogged(d, won);
  return ok({ call: toView(won), media: await d.media.joinToken(won.room_name, participant.staff(officer.username), officer.displayName) });
}

function partyMayEnd(p: Party, c: CallRow): boolean {
  if (p.kind === 'station') return p.station.id === c.station_id;
  if (p.staff.role === 'command') return canHandle(p.staff, c) || c.answered_by === p.staff.id;
  return c.answered_by === p.staff.id;
}

export async function endCall(d: HubDeps, id: string, by: Party | 'hub', reason: string): Promise<Outcome<CallView>> {
  const before = await callById(d.sql, id);
  if (!before) return fail(404, 'not_found', 'No such call');
  if (by !== 'hub' && !partyMayEnd(by, before)) {
    return by.kind === 'station'
      ? fail(404, 'not_found', 'No such call')
      : fail(403, 'forbidden', 'Only the officer who answered can end this call');
  }
  const ended = await d.sql.begin(async (tx) => {
    if (!(await markEnded(tx, id, reason))) return null;
    const call = (await callById(tx, id))!;
    await insertCallEvent(tx, id, 'ended', by === 'hub' ? 'hub' : partyIdentity(by), { reason });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.ended', data: { call: toView(call) } });
    return call;
  });
  if (!ended) return fail(409, 'call_ended', 'This call has already ended');
  if (!ended.answered_at) d.metrics.callsAbandoned.inc();
  // Closing the room disconnects whoever is still in it.
  await d.media.deleteRoom(ended.room_name).catch((err) => d.log.warn({ err, call: id }, 'deleting the media room failed'));
  return ok(toView(ended));
}

/**
 * A fresh token for a party already in the call: the kiosk page reloaded, its room connection
 * dropped, or the officer calls back after "media lost". The room is made again first: if the
 * LiveKit node that held it died, a live node takes it (LiveKit places it there once the dead
 * node's stats are stale, ~5 s). Back in a room made anew, the media_lost flag is cleared (the
 * timeline says who came back), so the watch flags the call again if that node dies too.
 */
export async function rejoinCall(d: HubDeps, id: string, p: Party): Promise<Outcome<MediaGrant>> {
  const c = await callById(d.sql, id);
  if (!c || c.status === 'ended') return fail(404, 'not_found', 'No such live call');
  if (p.kind === 'station' && c.station_id !== p.station.id) return fail(404, 'not_found', 'No such live call');
  if (p.kind === 'staff' && c.answered_by !== p.staff.id) return fail(403, 'forbidden', 'Only the officer who answered can join this call');
  try {
    await d.media.ensureRoom(c.room_name);
  } catch (err) {
    d.log.error({ err, call: id }, 'making the media room again failed');
    return fail(503, 'media_unavailable', 'The video service cannot be reached right now; try again in a moment');
  }
  const who = partyIdentity(p);
  await d.sql.begin(async (tx) => {
    if (await clearMediaLost(tx, id)) await insertCallEvent(tx, id, 'media_rejoined', who, { room: c.room_name });
  });
  return ok(await d.media.joinToken(c.room_name, who, p.kind === 'station' ? p.station.name : p.staff.displayName));
}
