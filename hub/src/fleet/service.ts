// The fleet's flows: creating a station with a one-time enrolment code, exchanging the code for
// the station's credential, retiring a station, taking heartbeats (a heartbeat that changes
// nothing writes nothing: its digest is compared in memory and last-seen is touched in batches),
// detecting offline stations and alerting admins and the ward's police.
import { randomInt } from 'node:crypto';
import {
  ENROL_ALPHABET,
  normaliseEnrolCode,
  participant,
  subject,
  topic,
  type EnrolmentView,
  type EnrolView,
  type FleetAlertKind,
  type FleetStationDetail,
  type FleetStationView,
  type Heartbeat,
} from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import type { Tx } from '../db/client.ts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { digest, newSecret } from '../auth/tokens.ts';
import { wardExists } from '../stations/store.ts';
import { changes, digestOf, problems, sosPathProblem, significant, statusOf, type Significant } from './health.ts';
import * as store from './store.ts';
import { recentSelfTests, selfTestTick } from './selftest.ts';
import { releaseTestParticipants } from './selftest-bot.ts';

/** 10 characters of Crockford base32 (50 bits), shown as XXXXX-XXXXX. */
export function newEnrolCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ENROL_ALPHABET[randomInt(ENROL_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const codeDigest = (code: string) => digest(`enrol:${normaliseEnrolCode(code)}`);

export async function createStation(
  d: HubDeps,
  admin: Staff,
  s: {
    code: string;
    name: string;
    building?: string | undefined;
    floor?: string | undefined;
    address: string;
    wardId: number;
    devicesExpected?: string[] | undefined;
  },
): Promise<Outcome<EnrolmentView>> {
  if (!(await wardExists(d.sql, s.wardId))) return fail(400, 'invalid_request', 'Unknown wardId');
  return d.sql.begin(async (tx) => {
    // Nobody knows this secret: the station has no working credential until it enrols.
    const id = await store.insertFleetStation(tx, { ...s, devicesExpected: s.devicesExpected ?? [], credentialHash: digest(newSecret()) });
    if (!id) return fail(409, 'station_exists', 'A station with this code is already registered');
    const code = newEnrolCode();
    const expires = await store.insertEnrolment(tx, {
      codeHash: codeDigest(code),
      stationId: id,
      createdBy: admin.username,
      hours: d.config.fleet.enrolCodeHours,
    });
    await insertAudit(tx, {
      actor: participant.staff(admin.username),
      action: 'station.create',
      subject: subject.station(s.code),
      detail: { wardId: s.wardId },
    });
    return ok({ stationId: id, code, expiresAt: expires.toISOString() });
  });
}

/** A new enrolment code for an existing station (a replaced kiosk PC); earlier open codes stop working. */
export async function newEnrolment(d: HubDeps, admin: Staff, stationId: string): Promise<Outcome<EnrolmentView>> {
  return d.sql.begin(async (tx) => {
    const st = await store.activeStationById(tx, stationId);
    if (!st) return fail(404, 'not_found', 'No such active station');
    await store.closeOpenEnrolments(tx, stationId);
    const code = newEnrolCode();
    const expires = await store.insertEnrolment(tx, {
      codeHash: codeDigest(code),
      stationId,
      createdBy: admin.username,
      hours: d.config.fleet.enrolCodeHours,
    });
    await insertAudit(tx, {
      actor: participant.staff(admin.username),
      action: 'station.enrolment_code',
      subject: subject.station(st.code),
    });
    return ok({ stationId, code, expiresAt: expires.toISOString() });
  });
}

/** The agent exchanges a code for its credential: once, before it expires. The previous credential stops working. */
export async function enrol(d: HubDeps, code: string, address: string): Promise<Outcome<EnrolView>> {
  return d.sql.begin(async (tx) => {
    const st = await store.takeEnrolment(tx, codeDigest(code));
    if (!st) {
      await insertAudit(tx, { actor: `client:${address}`, action: 'station.enrol_refused', subject: 'station:unknown' });
      return fail(403, 'enrolment_refused', 'This enrolment code is wrong, expired or already used');
    }
    const secret = newSecret();
    await store.updateEnrolledCredential(tx, st.stationId, digest(secret));
    await store.closeOpenEnrolments(tx, st.stationId);
    await store.insertStationEvents(tx, st.stationId, [{ kind: 'enrolled', detail: { from: address } }]);
    await insertAudit(tx, {
      actor: participant.station(st.code),
      action: 'station.enrol',
      subject: subject.station(st.code),
      detail: { from: address },
    });
    return ok({ credential: `${st.code}:${secret}`, station: { code: st.code, name: st.name } });
  });
}

export async function retire(d: HubDeps, admin: Staff, stationId: string): Promise<Outcome<{ retired: true }>> {
  return d.sql.begin(async (tx) => {
    const r = await store.retireStation(tx, stationId);
    if (!r) return fail(404, 'not_found', 'No such active station');
    await store.closeOpenEnrolments(tx, stationId);
    await store.insertStationEvents(tx, stationId, [{ kind: 'retired', detail: { by: admin.username } }]);
    await insertAudit(tx, { actor: participant.staff(admin.username), action: 'station.retire', subject: subject.station(r.code) });
    await d.bus.publish(tx, { type: 'fleet.changed', data: { stationId, status: 'retired' }, topics: [topic.admins] });
    // its open /ws sockets close at once on every hub instance (realtime/revocation.ts)
    await d.bus.publish(tx, { type: 'station.retired', data: { stationId }, topics: [] });
    return ok({ retired: true as const });
  });
}

// ---- heartbeats -------------------------------------------------------------------------------

interface Known {
  hash: string;
  sig: Significant;
}

/** Per hub instance: what each station last reported, and who was heard since the last flush. */
export class Fleet {
  private readonly known = new Map<string, Known>();
  private readonly heard = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Statements that wrote, for the bench. */
  writes = 0;

  constructor(private readonly d: HubDeps) {}

  start(): this {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((err) => this.d.log.error({ err }, 'fleet tick failed'))
        .finally(() => {
          this.ticking = undefined;
        });
    }, this.d.config.fleet.tickMs);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await releaseTestParticipants();
  }

  async heartbeat(station: { id: string; code: string }, h: Heartbeat): Promise<void> {
    const sig = significant(h);
    const hash = digestOf(sig).toString('hex');
    const k = this.known.get(station.id);
    if (k && k.hash === hash) {
      this.heard.add(station.id);
      return;
    }
    await this.d.sql.begin(async (tx) => {
      let row = await store.healthOf(tx, station.id);
      // A first heartbeat has no health row to lock, so two at once (the agent beats on connect and on
      // a device change too) would both write 'first_heartbeat': the station's own row orders them.
      if (!row) {
        await store.lockStation(tx, station.id);
        row = await store.healthOf(tx, station.id);
      }
      if (row && row.state_hash.toString('hex') === hash && !row.offline_since) {
        this.known.set(station.id, { hash, sig });
        this.heard.add(station.id);
        return;
      }
      await this.applyChange(tx, station.id, row, sig, h, hash);
    });
  }

  private async applyChange(tx: Tx, stationId: string, row: store.HealthRow | null, sig: Significant, h: Heartbeat, hash: string) {
    const st = (await store.stationBrief(tx, stationId))!;
    const prev = (row?.state.significant as Significant | undefined) ?? null;
    const oldAlerts = new Set(row?.alerts ?? []);
    const sos = sosPathProblem(sig, prev);
    const alerts = sos ? ['sos_path'] : [];
    const { wasOffline } = await store.writeHealth(tx, {
      stationId,
      hash: Buffer.from(hash, 'hex'),
      state: { significant: sig, heartbeat: h },
      alerts,
    });
    this.writes++;
    const events = changes(prev, sig);
    const alert = async (kind: FleetAlertKind, raised: boolean, detail: string) => {
      events.push({ kind: raised ? 'alert.raised' : 'alert.cleared', detail: { alert: kind, detail } });
      await this.publishAlert(tx, st, kind, raised, detail);
    };
    if (wasOffline) await alert('offline', false, 'heard again');
    if (sos && !oldAlerts.has('sos_path')) await alert('sos_path', true, sos);
    if (!sos && oldAlerts.has('sos_path')) await alert('sos_path', false, 'SOS path working');
    await store.insertStationEvents(tx, stationId, events);
    const status = statusOf({ active: true, seen: true, offline: false, problems: problems(sig, st.devices_expected) });
    await this.d.bus.publish(tx, { type: 'fleet.changed', data: { stationId, status }, topics: [topic.admins] });
    this.known.set(stationId, { hash, sig });
  }

  private async publishAlert(
    tx: Tx,
    st: { id: string; code: string; name: string; ward_id: number },
    kind: FleetAlertKind,
    raised: boolean,
    detail: string,
  ) {
    await this.d.bus.publish(tx, {
      type: 'station.alert',
      data: { stationId: st.id, code: st.code, name: st.name, wardId: st.ward_id, kind, raised, detail, at: new Date().toISOString() },
      topics: [topic.admins, topic.ward(st.ward_id)],
    });
  }

  /** Flushes last-seen for everyone heard (one statement), then marks the silent offline. */
  async tick(): Promise<void> {
    const ids = [...this.heard];
    this.heard.clear();
    await this.d.sql.begin(async (tx) => {
      const back = await store.touchSeen(tx, ids);
      if (ids.length) this.writes++;
      for (const b of back) {
        const st = (await store.stationBrief(tx, b.stationId))!;
        await store.insertStationEvents(tx, b.stationId, [{ kind: 'alert.cleared', detail: { alert: 'offline', detail: 'heard again' } }]);
        await this.publishAlert(tx, st, 'offline', false, 'heard again');
        await this.d.bus.publish(tx, { type: 'fleet.changed', data: { stationId: st.id, status: 'ok' }, topics: [topic.admins] });
      }
    });
    await this.d.sql.begin(async (tx) => {
      const gone = await store.markOffline(tx, this.d.config.fleet.offlineS);
      if (gone.length) this.writes++;
      for (const g of gone) {
        this.known.delete(g.stationId);
        const st = (await store.stationBrief(tx, g.stationId))!;
        const detail = `no heartbeat since ${g.lastSeenAt.toISOString()}`;
        await store.insertStationEvents(tx, g.stationId, [{ kind: 'alert.raised', detail: { alert: 'offline', detail } }]);
        await this.publishAlert(tx, st, 'offline', true, detail);
        await this.d.bus.publish(tx, { type: 'fleet.changed', data: { stationId: st.id, status: 'offline' }, topics: [topic.admins] });
      }
    });
    await selfTestTick(this.d);
  }
}

// ---- views ------------------------------------------------------------------------------------

function view(r: store.FleetRow): FleetStationView {
  const sig = r.state ? significant(r.state.heartbeat) : null;
  const p = sig ? problems(sig, r.devices_expected) : [];
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    building: r.building,
    floor: r.floor,
    address: r.address,
    wardId: r.ward_id,
    wardName: r.ward_name,
    status: statusOf({ active: r.active, seen: !!r.last_seen_at, offline: !!r.offline_since, problems: p }),
    problems: p,
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
    offlineSince: r.offline_since?.toISOString() ?? null,
    enrolled: !!r.enrolled_at,
    heartbeat: r.state?.heartbeat ?? null,
  };
}

export async function fleetList(d: HubDeps, wardId?: number): Promise<FleetStationView[]> {
  return (await store.fleetRows(d.sql, { wardId })).map(view);
}

export async function fleetStation(d: HubDeps, admin: Staff, stationId: string): Promise<Outcome<FleetStationDetail>> {
  const [row] = await store.fleetRows(d.sql, { stationId });
  if (!row) return fail(404, 'not_found', 'No such station');
  const [events, calls, consults, selfTests] = await Promise.all([
    store.stationEvents(d.sql, stationId),
    store.recentCalls(d.sql, stationId),
    store.recentConsults(d.sql, stationId),
    recentSelfTests(d, stationId),
  ]);
  await insertAudit(d.sql, { actor: participant.staff(admin.username), action: 'station.read', subject: subject.station(row.code) });
  return ok({
    station: view(row),
    timeline: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, detail: e.detail })),
    calls: calls.map((c) => ({ id: c.id, status: c.status, createdAt: c.created_at.toISOString(), endReason: c.end_reason })),
    consults: consults.map((c) => ({ id: c.id, status: c.status, createdAt: c.created_at.toISOString() })),
    selfTests,
  });
}

const fleets = new WeakMap<HubDeps, Fleet>();
/** The one Fleet of this hub instance (server.ts starts its loop). */
export function fleetOf(d: HubDeps): Fleet {
  const known = fleets.get(d);
  if (known) return known;
  const f = new Fleet(d);
  fleets.set(d, f);
  return f;
}
