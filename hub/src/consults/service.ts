// Doctor consults: join the queue (idempotent), accept (one winner), re-measure, close with a
// note, escalate to an emergency call, and end cleanly when the resident walks away.
import { randomUUID } from 'node:crypto';
import type { HubContext } from '../context.ts';
import type { Sql, Tx } from '../db/client.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/registry.ts';
import type { MediaGrant } from '../livekit/media.ts';
import type { ConsultView, LatestVital, QueueEntry } from '@tram/contracts';
import { activeSession, citizenById } from '../identity/sessions.ts';
import { addEvent, consultById, selectConsults, toView, type ConsultRow } from './store.ts';

export type LatestVitals = (sql: Sql | Tx, patientId: string) => Promise<LatestVital[]>;
export interface ConsultDeps extends HubContext { latestVitals: LatestVitals }

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 403 | 404 | 409; code: string; message: string };
const fail = (status: 403 | 404 | 409, code: string, message: string) => ({ ok: false as const, status, code, message });

export const CLINICIANS = 'clinicians';
const URGENT_REASONS = new Set(['chest_pain', 'breathing']);
const URGENT_FLAGS = new Set(['hypertensive_crisis', 'low_spo2']);

const stationIdentity = (s: { code: string }) => `station:${s.code}`;
const staffIdentity = (s: { username: string }) => `staff:${s.username}`;

/** Tells the kiosk of every waiting consult its (possibly changed) place, and the clinicians that the queue changed. */
async function announce(d: ConsultDeps, tx: Tx, changed: ConsultRow) {
  const rows = await tx<ConsultRow[]>`${selectConsults(tx)} WHERE c.status = 'waiting' OR c.id = ${changed.id}`;
  for (const r of rows) await d.bus.publish(tx, { topics: [`station:${r.station_id}`], type: 'consult.updated', data: { consult: await toView(tx, r) } });
  // Clinicians refetch the queue (an audited read) rather than receive health data in the push.
  await d.bus.publish(tx, { topics: [CLINICIANS], type: 'consult.changed', data: { id: changed.id, status: changed.status } });
}

/** Consoles re-assert presence every minute; a silent one stops counting after this. */
export const PRESENCE_FRESH_S = 180;

export async function availableClinicians(sql: Sql | Tx): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM clinician_presence WHERE available AND updated_at > now() - make_interval(secs => ${PRESENCE_FRESH_S})`;
  return r!.n;
}

export async function ownPresence(sql: Sql | Tx, staffId: string): Promise<boolean> {
  const [r] = await sql<{ on: boolean }[]>`
    SELECT available AND updated_at > now() - make_interval(secs => ${PRESENCE_FRESH_S}) AS on FROM clinician_presence WHERE staff_id = ${staffId}`;
  return r?.on ?? false;
}

export async function raiseConsult(d: ConsultDeps, station: Station, key: string, reason: string, note: string | undefined): Promise<Outcome<{ created: boolean; consult: ConsultView }>> {
  const [existing] = await d.sql<{ id: string }[]>`SELECT id FROM consults WHERE station_id = ${station.id} AND idempotency_key = ${key}`;
  if (existing) return { ok: true, value: { created: false, consult: await toView(d.sql, (await consultById(d.sql, existing.id))!) } };
  const session = await activeSession(d.sql, station.id, d.config.identity.idleS);
  if (!session) return fail(409, 'no_citizen_session', 'A consult needs the resident identified with their ID card');
  if ((await availableClinicians(d.sql)) === 0) return fail(409, 'no_clinician_available', 'No doctor is available right now');
  const vitals = await d.latestVitals(d.sql, session.citizenId);
  const flags = vitals.map((v) => v.flag).filter((f): f is string => !!f);
  const urgency = URGENT_REASONS.has(reason) || flags.some((f) => URGENT_FLAGS.has(f)) ? 2 : flags.length ? 1 : 0;
  const row = await d.sql.begin(async (tx) => {
    const [live] = await tx<{ id: string }[]>`SELECT id FROM consults WHERE station_id = ${station.id} AND status IN ('waiting', 'in_call')`;
    if (live) return { live: live.id };
    const [r] = await tx<{ id: string }[]>`
      INSERT INTO consults (station_id, session_id, citizen_id, idempotency_key, reason, note, urgency, status, room_name)
      VALUES (${station.id}, ${session.id}, ${session.citizenId}, ${key}, ${reason}, ${note ?? null}, ${urgency}, 'waiting', ${`consult-${randomUUID()}`})
      ON CONFLICT (station_id, idempotency_key) DO NOTHING RETURNING id`;
    if (!r) return null;
    const c = (await consultById(tx, r.id))!;
    await addEvent(tx, c.id, 'requested', stationIdentity(station), { reason, urgency, flags });
    await announce(d, tx, c);
    return c;
  });
  if (row && 'live' in row) return fail(409, 'consult_in_progress', 'This station already has a consult in progress');
  const c = row ?? (await consultById(d.sql, (await d.sql<{ id: string }[]>`SELECT id FROM consults WHERE station_id = ${station.id} AND idempotency_key = ${key}`)[0]!.id))!;
  return { ok: true, value: { created: !!row, consult: await toView(d.sql, c) } };
}

export async function currentConsult(d: ConsultDeps, station: Station): Promise<ConsultView | null> {
  const [r] = await d.sql<ConsultRow[]>`${selectConsults(d.sql)} WHERE c.station_id = ${station.id} ORDER BY c.created_at DESC LIMIT 1`;
  if (!r || (r.ended_at && Date.now() - r.ended_at.getTime() > 10 * 60_000)) return null;
  return toView(d.sql, r);
}

/** Ends a waiting or live consult (cancelled by the kiosk, abandoned, completed); closes its room. */
async function finish(d: ConsultDeps, id: string, status: 'cancelled' | 'abandoned' | 'completed', actor: string, reason: string,
  extra: { summary?: unknown; only?: 'waiting' | 'in_call' } = {}): Promise<ConsultRow | null> {
  const ended = await d.sql.begin(async (tx) => {
    const [r] = await tx<{ id: string }[]>`
      UPDATE consults SET status = ${status}, ended_at = now(), end_reason = ${reason}, summary = ${extra.summary ? tx.json(extra.summary as never) : null}
      WHERE id = ${id} AND status IN ('waiting', 'in_call') ${extra.only ? tx`AND status = ${extra.only}` : tx``} RETURNING id`;
    if (!r) return null;
    const c = (await consultById(tx, id))!;
    await addEvent(tx, id, status, actor, { reason });
    await announce(d, tx, c);
    return c;
  });
  if (ended) await d.media.deleteRoom(ended.room_name).catch((err) => d.log.warn({ err, consult: id }, 'deleting the consult room failed'));
  return ended;
}

export async function cancelConsult(d: ConsultDeps, station: Station, id: string): Promise<Outcome<ConsultView>> {
  const c = await consultById(d.sql, id);
  if (!c || c.station_id !== station.id) return fail(404, 'not_found', 'No such consult');
  const ended = await finish(d, id, c.status === 'in_call' ? 'abandoned' : 'cancelled', stationIdentity(station), 'resident_cancelled');
  if (!ended) return fail(409, 'consult_ended', 'This consult has already ended');
  return { ok: true, value: await toView(d.sql, ended) };
}

export async function abandonConsult(d: ConsultDeps, id: string, why: string): Promise<boolean> {
  return !!(await finish(d, id, 'abandoned', 'hub', why));
}

/** The resident walked away (card removed, idle): whatever consult that session had ends. */
export async function abandonSessionConsults(d: ConsultDeps, sessionId: string, why: string): Promise<number> {
  const live = await d.sql<{ id: string }[]>`SELECT id FROM consults WHERE session_id = ${sessionId} AND status IN ('waiting', 'in_call')`;
  let n = 0;
  for (const { id } of live) if (await finish(d, id, 'abandoned', 'hub', why)) n++;
  return n;
}

export async function acceptConsult(d: ConsultDeps, id: string, clinician: Staff): Promise<Outcome<{ consult: ConsultView; media: MediaGrant }>> {
  const won = await d.sql.begin(async (tx) => {
    // The conditional update is the arbiter: of concurrent accepts, exactly one sees 'waiting'.
    const [r] = await tx<{ id: string }[]>`
      UPDATE consults SET status = 'in_call', clinician_id = ${clinician.id}, accepted_at = now()
      WHERE id = ${id} AND status = 'waiting' RETURNING id`;
    if (!r) return null;
    const c = (await consultById(tx, id))!;
    await addEvent(tx, id, 'accepted', staffIdentity(clinician), { clinician: clinician.username });
    await announce(d, tx, c);
    return c;
  });
  if (!won) {
    const now = await consultById(d.sql, id);
    if (!now) return fail(404, 'not_found', 'No such consult');
    return now.status === 'in_call'
      ? fail(409, 'already_accepted', `This consult was already accepted by ${now.clinician_name ?? 'another doctor'}`)
      : fail(409, 'consult_ended', 'This consult has already ended');
  }
  await d.media.ensureRoom(won.room_name, { maxParticipants: 3 });
  return { ok: true, value: { consult: await toView(d.sql, won), media: await d.media.joinToken(won.room_name, staffIdentity(clinician), clinician.displayName) } };
}

export async function mediaFor(d: ConsultDeps, id: string, who: { station: Station } | { staff: Staff }): Promise<Outcome<MediaGrant>> {
  const c = await consultById(d.sql, id);
  if (!c || c.status !== 'in_call') return fail(404, 'not_found', 'No consult in a call');
  if ('station' in who) {
    if (c.station_id !== who.station.id) return fail(404, 'not_found', 'No consult in a call');
    return { ok: true, value: await d.media.joinToken(c.room_name, stationIdentity(who.station), who.station.name) };
  }
  if (c.clinician_id !== who.staff.id) return fail(403, 'forbidden', 'Only the doctor who accepted can join this consult');
  return { ok: true, value: await d.media.joinToken(c.room_name, staffIdentity(who.staff), who.staff.displayName) };
}

/** The accepting clinician's live consult, or a refusal. */
export async function ownLiveConsult(d: ConsultDeps, id: string, clinician: Staff): Promise<Outcome<ConsultRow>> {
  const c = await consultById(d.sql, id);
  if (!c) return fail(404, 'not_found', 'No such consult');
  if (c.clinician_id !== clinician.id) return fail(403, 'forbidden', 'Only the doctor who accepted can do this');
  if (c.status !== 'in_call') return fail(409, 'consult_ended', 'This consult is not in a call');
  return { ok: true, value: c };
}

export async function requestRemeasure(d: ConsultDeps, id: string, clinician: Staff, kind: string): Promise<Outcome<{ kind: string }>> {
  const own = await ownLiveConsult(d, id, clinician);
  if (!own.ok) return own;
  await d.sql.begin(async (tx) => {
    await addEvent(tx, id, 'remeasure_requested', staffIdentity(clinician), { kind });
    await d.bus.publish(tx, { topics: [`station:${own.value.station_id}`], type: 'vitals.remeasure', data: { kind } });
  });
  return { ok: true, value: { kind } };
}

export async function completeConsult(d: ConsultDeps, id: string, clinician: Staff, summary: { advice: string; referral: string }): Promise<Outcome<ConsultRow>> {
  const own = await ownLiveConsult(d, id, clinician);
  if (!own.ok) return own;
  const ended = await finish(d, id, 'completed', staffIdentity(clinician), 'note_saved', { summary, only: 'in_call' });
  return ended ? { ok: true, value: ended } : fail(409, 'consult_ended', 'This consult has already ended');
}

export async function queue(d: ConsultDeps): Promise<QueueEntry[]> {
  const rows = await d.sql<ConsultRow[]>`${selectConsults(d.sql)} WHERE c.status IN ('waiting', 'in_call') ORDER BY c.urgency DESC, c.created_at`;
  const out: QueueEntry[] = [];
  for (const r of rows) {
    const citizen = (await citizenById(d.sql, r.citizen_id))!;
    const vitals = await d.latestVitals(d.sql, r.citizen_id);
    out.push({
      id: r.id, status: r.status, urgency: r.urgency, reason: r.reason, note: r.note,
      patient: { id: citizen.id, name: citizen.fullName, age: ageOf(citizen.dateOfBirth), sex: citizen.sex },
      station: { id: r.station_id, name: r.station_name },
      waitingSince: r.created_at.toISOString(),
      vitals, flags: vitals.map((v) => v.flag).filter((f): f is string => !!f),
      clinician: r.clinician_username ? { username: r.clinician_username, displayName: r.clinician_name! } : null,
    });
  }
  return out;
}

/** Age in whole years from a dd/mm/yyyy date of birth (as printed on the card). */
export function ageOf(dob: string | null, now = new Date()): number | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(dob ?? '');
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) age--;
  return age;
}
