// The fault matrix (issue 16): each fault is injected while a real station agent sends readings
// every 250 ms and raises an SOS, and each scenario counts what was lost. A call is lost when the
// key the agent raised has no row (or more than one), or no police console heard it ringing; a
// reading is lost when the kiosk was told it was recorded and the hub never stored it (or stored it
// twice). "Time to recover" is from the end of the fault until everything raised or queued during
// it has arrived. hub/test/faults.test.ts asserts every row; `npx tsx scripts/bench.ts faults`
// prints the table.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startBalancer } from '../cluster/balancer.ts';
import { freePort } from '../ports.ts';
import { type FaultRig, type Station, sleep, stationNetwork, until } from './faults-rig.ts';

export interface FaultRow {
  fault: string;
  callsRaised: number;
  callsLost: number;
  readingsSent: number;
  readingsLost: number;
  /** null: not recovered within the scenario. */
  recoverMs: number | null;
  /** What else was checked and seen, in words. */
  notes: string[];
}

/** Readings are flowing end to end: at least n recorded and stored. */
async function flowing(rig: FaultRig, st: Station, n = 3) {
  await until(async () => st.recorded.length >= n && (await rig.stored(st.recorded)).stored >= n, 20_000, 'readings flowing to the hub');
}

/** Every reading recorded so far has arrived (waits up to `ms`); returns the count lost and when it settled. */
async function drained(rig: FaultRig, st: Station, ms = 20_000) {
  const ids = [...st.recorded];
  const end = Date.now() + ms;
  let s = await rig.stored(ids);
  while (s.stored < ids.length && Date.now() < end) {
    await sleep(100);
    s = await rig.stored(ids);
  }
  return { sent: ids.length, lost: ids.length - s.stored + s.duplicated, at: Date.now() };
}

/** The SOS the agent raised: acknowledged, one row, rung on a console. */
async function delivered(rig: FaultRig, st: Station, key: string, ms = 20_000) {
  const ack = await until(
    async () => {
      const s = (await st.state()).sos;
      return s.state === 'acknowledged' && s.key === key ? s : undefined;
    },
    ms,
    'the SOS acknowledged',
  ).catch(() => undefined);
  const rows = await rig.callsFor(key);
  const id = rows[0]?.id;
  const rang = id ? await until(() => rig.rung.has(id), 5000, 'the call ringing on a console').catch(() => false) : false;
  return { id, at: Date.now(), lost: ack && rows.length === 1 && rang ? 0 : 1, rows: rows.length, rang, acked: !!ack };
}

async function endCall(rig: FaultRig, id: string | undefined) {
  if (!id) return;
  await fetch(`${rig.cluster.url}/api/calls/${id}/end`, {
    method: 'POST',
    headers: { authorization: `Station ${rig.demo.station.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'cancelled' }),
  });
}

const escalations = async (rig: FaultRig, id: string) =>
  (await rig.sql`SELECT 1 FROM call_events WHERE call_id = ${id} AND detail->>'reason' = 'unanswered_t1'`).length;

/** kill -9 one hub while a call rings: the other takes the escalation deadline (once) and the answer. */
export async function hubKillRinging(rig: FaultRig): Promise<FaultRow> {
  const [a] = rig.cluster.hubs;
  const st = await rig.startStation({ hubUrl: rig.cluster.url });
  try {
    await flowing(rig, st);
    const { key } = await st.raise();
    const call = await delivered(rig, st, key);
    const t0 = Date.now();
    a!.crash();
    // the next reading after the crash reaches the hub through the survivor
    const after = st.recorded.length;
    await until(
      async () => st.recorded.length > after && (await rig.stored(st.recorded.slice(after))).stored > 0,
      20_000,
      'a reading after the crash',
    );
    const recoverMs = Date.now() - t0;
    // hub A comes back while B carries on (it takes a few seconds to start)
    const restarting = a!.restart();
    await until(async () => (await escalations(rig, call.id ?? '')) > 0, 15_000, 'the T1 escalation').catch(() => 0);
    const answer = await fetch(`${rig.cluster.url}/api/calls/${call.id}/answer`, {
      method: 'POST',
      headers: { cookie: rig.officerCookie },
    });
    await sleep(2500); // past another T1: a deadline taken by two hubs would show twice
    const t1 = await escalations(rig, call.id ?? '');
    const r = await drained(rig, st);
    await endCall(rig, call.id);
    await restarting;
    return {
      fault: 'hub A kill -9 while ringing',
      callsRaised: 1,
      callsLost: call.lost || (answer.status === 200 ? 0 : 1),
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs,
      notes: [`T1 escalation applied ${t1} time(s)`, `answered through the front: ${answer.status}`],
    };
  } finally {
    await st.stop();
  }
}

/** kill -9 the other hub during an answered call: the call stays, is ended through the survivor; a new SOS rings. */
export async function hubKillInCall(rig: FaultRig): Promise<FaultRow> {
  const [, b] = rig.cluster.hubs;
  const st = await rig.startStation({ hubUrl: rig.cluster.url });
  try {
    await flowing(rig, st);
    const { key } = await st.raise();
    const call = await delivered(rig, st, key);
    const answer = await fetch(`${rig.cluster.url}/api/calls/${call.id}/answer`, {
      method: 'POST',
      headers: { cookie: rig.officerCookie },
    });
    const t0 = Date.now();
    b!.crash();
    const end = await fetch(`${rig.cluster.url}/api/calls/${call.id}/end`, {
      method: 'POST',
      headers: { cookie: rig.officerCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'resolved' }),
    });
    const recoverMs = Date.now() - t0;
    const restarting = b!.restart();
    const [row] = await rig.sql<{ status: string }[]>`SELECT status FROM calls WHERE id = ${call.id ?? ''}`;
    // a new emergency from the same station, with one hub gone
    await until(async () => (await st.state()).sos.state !== 'sending', 5000, 'outbox idle');
    await sleep(300); // the call.ended relay clears the acknowledged call
    const again = await st.raise();
    const second = await delivered(rig, st, again.key);
    await endCall(rig, second.id);
    const r = await drained(rig, st);
    await restarting;
    return {
      fault: 'hub B kill -9 during the call',
      callsRaised: 2,
      callsLost: call.lost + second.lost + (answer.status === 200 && end.status === 200 && row?.status === 'ended' ? 0 : 1),
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs,
      notes: [`answer ${answer.status}, end after the kill ${end.status}, call ${row?.status}`],
    };
  } finally {
    await st.stop();
  }
}

/** PostgreSQL stopped and started again around an SOS: the outbox retries, exactly one call. */
export async function postgresRestart(rig: FaultRig, downMs = 3000): Promise<FaultRow> {
  const st = await rig.startStation({ hubUrl: rig.cluster.url });
  try {
    await flowing(rig, st);
    await rig.stopPostgres();
    const { key } = await st.raise();
    await sleep(downMs);
    const during = (await st.state()).sos;
    const t0 = Date.now();
    await rig.startPostgres();
    const call = await delivered(rig, st, key, 30_000);
    const r = await drained(rig, st, 30_000);
    await endCall(rig, call.id);
    return {
      fault: `PostgreSQL down ${downMs / 1000} s mid-SOS`,
      callsRaised: 1,
      callsLost: call.lost,
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs: Math.max(call.at, r.at) - t0,
      notes: [
        `while down the SOS was "${during.state}" after ${during.state === 'sending' ? during.attempts : 0} attempt(s)`,
        `rows for its key: ${call.rows}, acknowledged: ${call.acked}, rang: ${call.rang}`,
      ],
    };
  } finally {
    await st.stop();
  }
}

/** Redis (LiveKit's cluster state) gone for a while: calls are still stored and rung; media comes back. */
export async function redisDown(rig: FaultRig, downMs = 30_000): Promise<FaultRow> {
  const st = await rig.startStation({ hubUrl: rig.cluster.url });
  const rooms = rig.cluster.hubs.map((h) => new RoomServiceClient(h.livekit.apiUrl, rig.livekit.key, rig.livekit.secret));
  try {
    await flowing(rig, st);
    await rig.stopRedis();
    const { key } = await st.raise();
    const call = await delivered(rig, st, key);
    const failed = (await rig.sql`SELECT 1 FROM call_events WHERE call_id = ${call.id ?? ''} AND kind = 'media_room_failed'`).length;
    await endCall(rig, call.id);
    await sleep(Math.max(0, downMs - 2000));
    const t0 = Date.now();
    await rig.startRedis();
    // LiveKit nodes answer room calls again (they reconnect to Redis on their own)
    await until(
      async () =>
        (
          await Promise.all(
            rooms.map((r) =>
              r.listRooms().then(
                () => true,
                () => false,
              ),
            ),
          )
        ).every(Boolean),
      30_000,
      'both LiveKit nodes answering again',
    );
    await sleep(300);
    const again = await st.raise();
    const second = await delivered(rig, st, again.key);
    const media = (await st.state()).sos;
    const hasMedia = media.state === 'acknowledged' && media.media !== null;
    const r = await drained(rig, st);
    await endCall(rig, second.id);
    return {
      fault: `Redis down ${downMs / 1000} s`,
      callsRaised: 2,
      callsLost: call.lost + second.lost,
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs: Date.now() - t0,
      notes: [
        `call during the outage: stored and rung; room creation failed ${failed ? 'and was logged in its timeline' : 'silently'}`,
        `call after: media ${hasMedia ? 'granted' : 'missing'}`,
      ],
    };
  } finally {
    await st.stop();
  }
}

/** The station's network cut (its veth link down) and restored: the offline SOS and queued readings arrive once. */
export async function networkCut(rig: FaultRig, cutMs = 5000): Promise<FaultRow> {
  const net = stationNetwork('tramfaults');
  const front = await startBalancer({ port: await freePort(), host: net.hostAddr, backends: rig.cluster.hubs.map((h) => h.url) });
  let st: Station | undefined;
  try {
    st = await rig.startStation({ hubUrl: front.url, netns: 'tramfaults' });
    await flowing(rig, st);
    net.cut();
    await sleep(500);
    const { key } = await st.raise();
    await sleep(cutMs - 500);
    const during = await st.state();
    const hubSeen = st.kiosk.hub;
    const t0 = Date.now();
    net.restore();
    const call = await delivered(rig, st, key, 30_000);
    const r = await drained(rig, st, 30_000);
    await endCall(rig, call.id);
    return {
      fault: `station network cut ${cutMs / 1000} s (netns)`,
      callsRaised: 1,
      callsLost: call.lost,
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs: Math.max(call.at, r.at) - t0,
      notes: [`offline: kiosk told hub "${hubSeen}", SOS "${during.sos.state}", ${during.queue} reading(s) queued on disk`],
    };
  } finally {
    await st?.stop();
    await front.close();
    net.remove();
  }
}

interface FleetRow {
  id: string;
  status: string;
  problems: string[];
}
async function fleetRow(rig: FaultRig): Promise<FleetRow | undefined> {
  const r = await fetch(`${rig.cluster.url}/api/admin/stations`, { headers: { cookie: rig.adminCookie } });
  return ((await r.json()) as { stations: FleetRow[] }).stations.find((x) => x.id === rig.demo.station.id);
}

/** The agent's disk full while readings arrive: the kiosk and the fleet page say so; an SOS still goes. */
export async function diskFull(rig: FaultRig): Promise<FaultRow> {
  const mnt = join(rig.work, 'agent-disk');
  mkdirSync(mnt, { recursive: true });
  // Just over the fleet's low-disk mark (1024 MB), so "degraded" is the disk filling up, not its size.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1040m,mode=0700', 'tramfaults', mnt]);
  const filler = join(mnt, 'filler');
  let st: Station | undefined;
  try {
    st = await rig.startStation({ hubUrl: rig.cluster.url, dataDir: join(mnt, 'agent') });
    await flowing(rig, st);
    const before = await until(
      async () => {
        const f = await fleetRow(rig);
        return f?.problems.some((p) => p.includes('free disk')) === false ? f : undefined;
      },
      10_000,
      'the fleet page showing the station without a disk problem',
    );
    // fill the disk to the last byte
    for (const size of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) writeFileSync(filler, chunk, { flag: 'a' });
      } catch {
        /* ENOSPC: this size no longer fits */
      }
    }
    const shownBefore = st.notKept;
    await until(() => st!.notKept > shownBefore + 2, 20_000, 'the kiosk told readings are not kept');
    const { key } = await st.raise();
    const call = await delivered(rig, st, key);
    const fleet = await until(
      async () => {
        const f = await fleetRow(rig);
        return f?.problems.some((p) => p.includes('free disk')) ? f : undefined;
      },
      10_000,
      'the fleet page showing the full disk',
    ).catch(() => undefined);
    const notKept = st.notKept;
    const t0 = Date.now();
    rmSync(filler);
    const n = st.recorded.length;
    await until(() => st!.recorded.length > n, 10_000, 'readings recorded again');
    const r = await drained(rig, st);
    await endCall(rig, call.id);
    return {
      fault: 'agent disk full (tmpfs)',
      callsRaised: 1,
      callsLost: call.lost,
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs: Math.max(r.at, call.at) - t0,
      notes: [
        `${notKept} reading(s) shown to the resident as not recorded while full`,
        fleet
          ? `fleet: ${before.status} before, ${fleet.status} when full: "${fleet.problems.join('; ')}"`
          : 'fleet: the full disk was NOT shown',
      ],
    };
  } finally {
    await st?.stop();
    rmSync(filler, { force: true });
    execFileSync('umount', ['-l', mnt]);
  }
}

/**
 * The LiveKit node holding an answered call's room stopped mid-call. The kiosk and the officer
 * (rtc-node bots, on the grants the hub gave them) are each in the room through their own hub's
 * node; the room lives on either, and the node stopped is the one holding it (where the media goes).
 * No webhook comes from a dead node: the hubs' media watch must notice (media_lost in the timeline
 * once, the officer's consoles told), and calling back through the hub whose node survived must give
 * the officer and the kiosk a room on the survivor where they hear each other again. Time to
 * recover: from the node being down until media flows both ways again, the officer calling back as
 * soon as told. Last in the matrix: the node stays down.
 */
export async function livekitNodeStop(rig: FaultRig): Promise<FaultRow> {
  process.env.NODE_ENV ??= 'production'; // rtc-node's debug logging off
  const { startBot, disposeBots } = await import('./media-bot.ts');
  const hubs = rig.cluster.hubs;
  const st = await rig.startStation({ hubUrl: hubs[0]!.url });
  const bots: Awaited<ReturnType<typeof startBot>>[] = [];
  const station = { authorization: `Station ${rig.demo.station.credential}` };
  try {
    await flowing(rig, st);
    const { key } = await st.raise();
    const call = await delivered(rig, st, key);
    const id = call.id ?? '';
    const sos = (await st.state()).sos;
    if (sos.state !== 'acknowledged' || !sos.media) throw new Error('the SOS came back without media');
    const answer = await fetch(`${hubs[1]!.url}/api/calls/${id}/answer`, {
      method: 'POST',
      headers: { cookie: rig.officerCookie },
    });
    const officer = ((await answer.json()) as { media: { url: string; token: string } }).media;
    const [kiosk, officerBot] = [await startBot({ url: sos.media.url, token: sos.media.token }), await startBot(officer)];
    bots.push(kiosk, officerBot);
    const kinds = async () =>
      (await rig.sql<{ kind: string }[]>`SELECT kind FROM call_events WHERE call_id = ${id} ORDER BY at, id`).map((r) => r.kind);
    await until(async () => (await kinds()).filter((k) => k === 'media_joined').length >= 2, 15_000, 'both in the room');
    const nodeOf = async (b: (typeof bots)[number]) => {
      const ports = await b.mediaPorts();
      return hubs.findIndex((h) => ports.includes(h.livekit.rtcPorts.udp) || ports.includes(h.livekit.rtcPorts.tcp));
    };
    const holder = (await until(async () => (await nodeOf(kiosk)) + 1, 10_000, 'the node holding the room')) - 1;
    const survivor = hubs[1 - holder]!;
    const before = (await kinds()).length;
    const packets = async (bs: typeof bots) =>
      Promise.all(
        bs.map((b) =>
          b.inbound().then(
            (m) => m.received,
            () => 0,
          ),
        ),
      );
    const packetsBefore = await packets(bots);
    await hubs[holder]!.livekit.stop();
    const down = Date.now();
    // what the hubs learn without a webhook: their media watch looks every MEDIA_WATCH_S (2 s here)
    const noticedMs = await until(async () => (await kinds()).includes('media_lost') && Date.now() - down, 15_000, 'media_lost').catch(
      () => null,
    );
    const packetsAfter = await packets(bots);
    const told = await until(() => (rig.mediaLost.get(id) ?? 0) >= hubs.length, 5000, 'the consoles told').catch(() => false);
    // the officer calls back at once: through the hub whose node died the media service is
    // unreachable (503); through the other, the room is made anew on the surviving node, for the
    // officer and for the kiosk
    const rejoin = (hub: (typeof hubs)[number], headers: Record<string, string>) =>
      fetch(`${hub.url}/api/calls/${id}/media`, { method: 'POST', headers }).then(async (r) => ({
        status: r.status,
        media: r.ok ? ((await r.json()) as { media: { url: string; token: string } }).media : null,
      }));
    const viaDead = await rejoin(hubs[holder]!, { cookie: rig.officerCookie });
    const back = await rejoin(survivor, { cookie: rig.officerCookie });
    const kioskBack = await rejoin(survivor, station);
    let recoverMs: number | null = null;
    let onSurvivor = false;
    if (back.media && kioskBack.media) {
      const again = [await startBot(kioskBack.media), await startBot(back.media)];
      bots.push(...again);
      const flowingBoth = await until(async () => (await packets(again)).every((n) => n > 0), 20_000, 'media both ways again').catch(
        () => false,
      );
      if (flowingBoth) recoverMs = Date.now() - down;
      onSurvivor = (await nodeOf(again[1]!)) === 1 - holder;
    }
    // until 20 s after the death: past more looks by both hubs and the room's restart on the
    // survivor when a participant reconnects there (~10 s): a second flag would show by now
    await sleep(Math.max(0, down + 20_000 - Date.now()));
    const flags = (await kinds()).filter((k) => k === 'media_lost').length;
    const [lost] = await rig.sql<{ detail: { via: string } }[]>`
      SELECT detail FROM call_events WHERE call_id = ${id} AND kind = 'media_lost' ORDER BY id LIMIT 1`;
    const after = (await kinds()).slice(before);
    const [row] = await rig.sql<{ status: string }[]>`SELECT status FROM calls WHERE id = ${id}`;
    await endCall(rig, id);
    const r = await drained(rig, st);
    return {
      fault: "LiveKit node holding the call's room stopped",
      callsRaised: 1,
      callsLost: call.lost || (row ? 0 : 1),
      readingsSent: r.sent,
      readingsLost: r.lost,
      recoverMs,
      notes: [
        `call ${row?.status ?? 'missing'} after the stop; timeline since: ${after.join(', ') || 'nothing'}`,
        `media_lost ${flags} time(s), ${noticedMs === null ? 'not noticed within 15 s' : `${noticedMs} ms`} after node ${holder + 1} (holding the room) was down, via ${lost?.detail.via ?? '-'}; the officer's consoles told: ${told}`,
        `call back through hub ${2 - holder} (its node survived): ${back.status}, the station's: ${kioskBack.status}; through hub ${holder + 1}: ${viaDead.status}; room on the surviving node: ${onSurvivor}`,
        `packets received from the stop until media_lost (kiosk / officer): ${packetsAfter.map((n, i) => Math.max(0, n - packetsBefore[i]!)).join(' / ')}`,
      ],
    };
  } finally {
    for (const b of bots) await b.stop();
    await disposeBots();
    await st.stop();
  }
}

export const SCENARIOS = { hubKillRinging, hubKillInCall, postgresRestart, redisDown, networkCut, diskFull, livekitNodeStop };

export function table(rows: FaultRow[]): string {
  const head = ['fault', 'calls raised', 'calls lost', 'readings sent', 'readings lost', 'recover ms'];
  const lines = rows.map((r) =>
    [r.fault, r.callsRaised, r.callsLost, r.readingsSent, r.readingsLost, r.recoverMs ?? 'not recovered'].map(String),
  );
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  return [fmt(head), fmt(w.map((n) => '-'.repeat(n))), ...lines.map(fmt)].join('\n');
}
