// Doctor consults: join the queue (idempotent), accept (one winner), re-measure, save the note
// during the call and end it separately, escalate to an emergency call, and end cleanly when the resident walks away. Clinicians
// learn of queue changes through `consult.changed` and refetch the queue (an audited read)
// rather than receive health data in a push.
import { randomUUID } from 'node:crypto';
import type { HubDeps } from '../deps.ts';
import type { Sql, Tx } from '../db/client.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';
import type { MediaGrant } from '../livekit/media.ts';
import {
  MEDICAL_EMERGENCY_NOTE,
  participant,
  subject,
  topic,
  type BoothKind,
  type CallView,
  type ConsultView,
  type QueueEntry,
  type SavedVisitNoteView,
} from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById, touchActiveSession } from '../identity/store.ts';
import { stationById } from '../stations/store.ts';
import { latestVitals } from '../vitals/latest.ts';
import { upsertResources } from '../fhir/store.ts';
import { raiseCall } from '../calls/service.ts';
import { insertHandover } from '../calls/medical-store.ts';
import {
  availableClinicians,
  consultById,
  consultByKey,
  insertConsult,
  insertConsultEvent,
  latestConsultOfSession,
  liveConsultIdOfStation,
  liveConsultIdsOfSession,
  liveConsults,
  markAccepted,
  markCompletedFromNote,
  markFinished,
  ownPresence,
  positionOf,
  saveVisitNote,
  upsertPresence,
  waitStats,
  waitingConsultsAnd,
  type ConsultRow,
} from './store.ts';
import { ageOf, estimateWait, urgencyOf } from './triage.ts';
import { visitNoteResources, type VisitNote } from './visit-note.ts';

/** What the kiosk sees of its consult. */
export async function consultView(
  sql: Sql | Tx,
  r: ConsultRow,
  known?: { available: number; avgMin: number | null },
): Promise<ConsultView> {
  const position = await positionOf(sql, r);
  const stats = position === null ? null : (known ?? (await waitStats(sql)));
  return {
    id: r.id,
    status: r.status,
    reason: r.reason as ConsultView['reason'],
    position,
    estimatedWaitMin: stats ? estimateWait(position, stats.available, stats.avgMin) : null,
    clinician: r.clinician_name ? { displayName: r.clinician_name, role: 'Bác sĩ' } : null,
    summary: r.status === 'completed' ? r.summary : null,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Tells the kiosk of every waiting consult its (possibly changed) place, and the clinicians that
 * the queue changed; returns the changed consult's view. The reads are sent together (pipelined on
 * the transaction's connection): each round trip here is one the clinicians wait for.
 */
async function announce(d: HubDeps, tx: Tx, changed: ConsultRow): Promise<ConsultView> {
  const [rows, stats] = await Promise.all([waitingConsultsAnd(tx, changed.id), waitStats(tx)]);
  const views = await Promise.all(rows.map((r) => consultView(tx, r, stats)));
  await Promise.all([
    ...views.map((consult, i) =>
      d.bus.publish(tx, { topics: [topic.station(rows[i]!.station_id)], type: 'consult.updated', data: { consult } }),
    ),
    d.bus.publish(tx, { topics: [topic.clinicians], type: 'consult.changed', data: { id: changed.id, status: changed.status } }),
  ]);
  return views.find((v) => v.id === changed.id)!;
}

export const availability = (d: HubDeps): Promise<number> => availableClinicians(d.sql);
export const presenceOf = (d: HubDeps, clinician: Staff): Promise<boolean> => ownPresence(d.sql, clinician.id);

export async function setPresence(d: HubDeps, clinician: Staff, available: boolean): Promise<void> {
  await d.sql.begin(async (tx) => {
    await upsertPresence(tx, clinician.id, available);
    await d.bus.publish(tx, { topics: [topic.clinicians], type: 'consult.presence', data: { available: await availableClinicians(tx) } });
  });
}

export async function raiseConsult(
  d: HubDeps,
  station: Station,
  key: string,
  reason: string,
  note: string | undefined,
): Promise<Outcome<{ created: boolean; consult: ConsultView }>> {
  const existing = await consultByKey(d.sql, station.id, key);
  if (existing) return ok({ created: false, consult: await consultView(d.sql, existing) });
  const [session, available] = await Promise.all([
    touchActiveSession(d.sql, station.id, d.config.identity.idleS),
    availableClinicians(d.sql),
  ]);
  if (!session) return fail(409, 'no_citizen_session', 'A consult needs the resident identified with their ID card');
  if (available === 0) return fail(409, 'no_clinician_available', 'No doctor is available right now');
  const vitals = await latestVitals(d.sql, session.citizenId);
  const flags = vitals.map((v) => v.flag).filter((f): f is string => !!f);
  const urgency = urgencyOf(reason, flags);
  const row = await d.sql.begin(async (tx) => {
    const live = await liveConsultIdOfStation(tx, station.id);
    if (live) return { live };
    const id = await insertConsult(tx, {
      stationId: station.id,
      sessionId: session.id,
      citizenId: session.citizenId,
      key,
      reason,
      note: note ?? null,
      urgency,
      room: `consult-${randomUUID()}`,
    });
    if (!id) return null;
    const [c] = await Promise.all([
      consultById(tx, id),
      insertConsultEvent(tx, id, 'requested', participant.station(station.code), { reason, urgency, flags }),
    ]);
    return { view: await announce(d, tx, c!) };
  });
  if (row && 'live' in row) return fail(409, 'consult_in_progress', 'This station already has a consult in progress');
  if (row) return ok({ created: true, consult: row.view });
  return ok({ created: false, consult: await consultView(d.sql, (await consultByKey(d.sql, station.id, key))!) });
}

/**
 * The consult of the resident identified at the station now, until ten minutes after it ended (the
 * kiosk shows the summary). Scoped to the open citizen session: the next resident never sees the
 * previous one's visit summary, and nobody does once the card is out.
 */
export async function currentConsult(d: HubDeps, station: Station): Promise<ConsultView | null> {
  const session = await touchActiveSession(d.sql, station.id, d.config.identity.idleS);
  if (!session) return null;
  const r = await latestConsultOfSession(d.sql, station.id, session.id);
  if (!r || (r.ended_at && Date.now() - r.ended_at.getTime() > 10 * 60_000)) return null;
  return consultView(d.sql, r);
}

/** Ends a waiting or live consult (cancelled by the kiosk, abandoned, completed); closes its room. */
async function finish(
  d: HubDeps,
  id: string,
  status: 'cancelled' | 'abandoned' | 'completed',
  actor: string,
  reason: string,
  extra: Parameters<typeof markFinished>[4] = {},
): Promise<ConsultRow | null> {
  const ended = await d.sql.begin(async (tx) => {
    if (!(await markFinished(tx, id, status, reason, extra))) return null;
    const c = (await consultById(tx, id))!;
    await insertConsultEvent(tx, id, status, actor, { reason });
    await announce(d, tx, c);
    return c;
  });
  if (ended) await d.media.deleteRoom(ended.room_name).catch((err) => d.log.warn({ err, consult: id }, 'deleting the consult room failed'));
  return ended;
}

export async function cancelConsult(d: HubDeps, station: Station, id: string): Promise<Outcome<ConsultView>> {
  const c = await consultById(d.sql, id);
  if (!c || c.station_id !== station.id) return fail(404, 'not_found', 'No such consult');
  const ended = await finish(
    d,
    id,
    c.status === 'in_call' ? 'abandoned' : 'cancelled',
    participant.station(station.code),
    'resident_cancelled',
  );
  if (!ended) return fail(409, 'consult_ended', 'This consult has already ended');
  return ok(await consultView(d.sql, ended));
}

export async function abandonConsult(d: HubDeps, id: string, why: string): Promise<boolean> {
  return !!(await finish(d, id, 'abandoned', 'hub', why));
}

/** The resident walked away (card removed, idle): whatever consult that session had ends. */
export async function abandonSessionConsults(d: HubDeps, sessionId: string, why: string): Promise<number> {
  let n = 0;
  for (const id of await liveConsultIdsOfSession(d.sql, sessionId)) if (await finish(d, id, 'abandoned', 'hub', why)) n++;
  return n;
}

export async function acceptConsult(
  d: HubDeps,
  id: string,
  clinician: Staff,
): Promise<Outcome<{ consult: ConsultView; media: MediaGrant }>> {
  const won = await d.sql.begin(async (tx) => {
    if (!(await markAccepted(tx, id, clinician.id))) return null;
    const c = (await consultById(tx, id))!;
    await insertConsultEvent(tx, id, 'accepted', participant.staff(clinician.username), { clinician: clinician.username });
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
  const value = {
    consult: await consultView(d.sql, won),
    media: await d.media.joinToken(won.room_name, participant.staff(clinician.username), clinician.displayName),
  };
  await insertAudit(d.sql, { actor: participant.staff(clinician.username), action: 'consult.accept', subject: subject.consult(won.id) });
  return ok(value);
}

export async function mediaFor(d: HubDeps, id: string, who: { station: Station } | { staff: Staff }): Promise<Outcome<MediaGrant>> {
  const c = await consultById(d.sql, id);
  if (c?.status !== 'in_call') return fail(404, 'not_found', 'No consult in a call');
  if ('station' in who) {
    if (c.station_id !== who.station.id) return fail(404, 'not_found', 'No consult in a call');
    return ok(await d.media.joinToken(c.room_name, participant.station(who.station.code), who.station.name));
  }
  if (c.clinician_id !== who.staff.id) return fail(403, 'forbidden', 'Only the doctor who accepted can join this consult');
  return ok(await d.media.joinToken(c.room_name, participant.staff(who.staff.username), who.staff.displayName));
}

/** The accepting clinician's saved note of a consult in its call (to refill the form on rejoining); a read of health data, audited. */
export async function savedNoteOf(d: HubDeps, id: string, clinician: Staff): Promise<SavedVisitNoteView | null> {
  const c = await consultById(d.sql, id);
  if (c?.status !== 'in_call' || c.clinician_id !== clinician.id || !c.visit_note || !c.note_saved_at) return null;
  await insertAudit(d.sql, { actor: participant.staff(clinician.username), action: 'consult.note.read', subject: subject.consult(id) });
  return { ...c.visit_note, savedAt: c.note_saved_at.toISOString() };
}

/** The accepting clinician's live consult, or a refusal. */
async function ownLiveConsult(d: HubDeps, id: string, clinician: Staff): Promise<Outcome<ConsultRow>> {
  const c = await consultById(d.sql, id);
  if (!c) return fail(404, 'not_found', 'No such consult');
  if (c.clinician_id !== clinician.id) return fail(403, 'forbidden', 'Only the doctor who accepted can do this');
  if (c.status !== 'in_call') return fail(409, 'consult_ended', 'This consult is not in a call');
  return ok(c);
}

/** Asks the booth at the consult's station to measure this kind again. */
export async function requestRemeasure(d: HubDeps, id: string, clinician: Staff, kind: BoothKind): Promise<Outcome<{ kind: BoothKind }>> {
  const own = await ownLiveConsult(d, id, clinician);
  if (!own.ok) return own;
  await d.sql.begin(async (tx) => {
    await insertConsultEvent(tx, id, 'remeasure_requested', participant.staff(clinician.username), { kind });
    await d.bus.publish(tx, { topics: [topic.station(own.value.station_id)], type: 'vitals.remeasure', data: { kind } });
  });
  await insertAudit(d.sql, {
    actor: participant.staff(clinician.username),
    action: 'vitals.remeasure',
    subject: subject.consult(id),
    detail: { kind },
  });
  return ok({ kind });
}

/**
 * Saves (or updates) the visit note during the call, without ending it: the consult's FHIR
 * Encounter and ClinicalImpression are written in progress at once, so the record exists from the
 * first save, and every save is audited.
 */
export async function saveNote(
  d: HubDeps,
  id: string,
  clinician: Staff,
  note: VisitNote,
): Promise<Outcome<{ savedAt: string; fhir: { encounter: string; clinicalImpression: string } }>> {
  const own = await ownLiveConsult(d, id, clinician);
  if (!own.ok) return own;
  const c = own.value;
  const savedAt = await d.sql.begin(async (tx) => {
    const at = await saveVisitNote(tx, c.id, note);
    if (!at) return null;
    await upsertResources(tx, visitNoteResources(c, clinician, note, false, at));
    await insertConsultEvent(tx, c.id, 'note_saved', participant.staff(clinician.username), { first: !c.visit_note });
    return at;
  });
  if (!savedAt) return fail(409, 'consult_ended', 'This consult is not in a call');
  const fhir = { encounter: `Encounter/${c.id}`, clinicalImpression: `ClinicalImpression/${c.id}` };
  await insertAudit(d.sql, {
    actor: participant.staff(clinician.username),
    action: 'consult.note',
    subject: subject.consult(c.id),
    detail: fhir,
  });
  return ok({ savedAt: savedAt.toISOString(), fhir });
}

/**
 * The clinician ends the consult: it completes from the last saved note (the resident's kiosk
 * shows its advice) and the FHIR record is finished in the same transaction. A consult without a
 * saved note is refused, so a completed consult always has its record.
 */
export async function endConsult(
  d: HubDeps,
  id: string,
  clinician: Staff,
): Promise<Outcome<{ consult: ConsultView; fhir: { encounter: string; clinicalImpression: string } }>> {
  const own = await ownLiveConsult(d, id, clinician);
  if (!own.ok) return own;
  const c = own.value;
  const actor = participant.staff(clinician.username);
  const ended = await d.sql.begin(async (tx) => {
    const note = await markCompletedFromNote(tx, c.id, 'ended_by_clinician');
    if (!note) return null;
    await upsertResources(tx, visitNoteResources(c, clinician, note, true));
    const row = (await consultById(tx, c.id))!;
    await insertConsultEvent(tx, c.id, 'completed', actor, { reason: 'ended_by_clinician' });
    await announce(d, tx, row);
    return row;
  });
  if (!ended) {
    const now = await consultById(d.sql, c.id);
    return now?.status === 'in_call'
      ? fail(409, 'note_required', 'Save the visit note before ending the consult')
      : fail(409, 'consult_ended', 'This consult has already ended');
  }
  await d.media.deleteRoom(ended.room_name).catch((err) => d.log.warn({ err, consult: id }, 'deleting the consult room failed'));
  const fhir = { encounter: `Encounter/${c.id}`, clinicalImpression: `ClinicalImpression/${c.id}` };
  await insertAudit(d.sql, { actor, action: 'consult.end', subject: subject.consult(c.id), detail: fhir });
  return ok({ consult: await consultView(d.sql, ended), fhir });
}

/**
 * Hands the resident to the ward police as an emergency call. The call rings every officer of the
 * ward (then wider), so it says only that it is a medical emergency; the vitals go into a separate
 * handover only the answering officer can read (calls/medical.ts).
 */
export async function escalateConsult(d: HubDeps, id: string, clinician: Staff): Promise<Outcome<{ created: boolean; call: CallView }>> {
  const own = await ownLiveConsult(d, id, clinician);
  if (!own.ok) return own;
  const c = own.value;
  const station = (await stationById(d.sql, c.station_id))!;
  const vitals = await latestVitals(d.sql, c.citizen_id);
  // One emergency call per consult, however often the button is pressed.
  const handover = (sql: Sql | Tx, callId: string) =>
    insertHandover(sql, { callId, consultId: c.id, citizenId: c.citizen_id, clinicianId: clinician.id, vitals });
  // A new call gets its handover in the insert's transaction: an officer who answers at the first
  // ring finds it. A press that joined the station's open call adds it to that call (idempotent).
  const call = await raiseCall(d, station, `consult-${c.id}`, MEDICAL_EMERGENCY_NOTE, handover);
  if (!call.created) await handover(d.sql, call.call.id);
  await insertConsultEvent(d.sql, c.id, 'escalated', participant.staff(clinician.username), { callId: call.call.id, vitals });
  return ok({ created: call.created, call: call.call });
}

/** The queue as clinicians see it, with each resident's latest vitals (an audited read). */
export async function queue(d: HubDeps, clinician: Staff): Promise<{ entries: QueueEntry[]; available: number }> {
  // Every entry's reads at once (pipelined): a clinician refetches this on each queue change.
  const entries = await Promise.all(
    (await liveConsults(d.sql)).map(async (r): Promise<QueueEntry> => {
      const [citizen, vitals] = await Promise.all([citizenById(d.sql, r.citizen_id), latestVitals(d.sql, r.citizen_id)]);
      return {
        id: r.id,
        status: r.status,
        urgency: r.urgency,
        reason: r.reason,
        note: r.note,
        patient: { id: citizen!.id, name: citizen!.fullName, age: ageOf(citizen!.dateOfBirth), sex: citizen!.sex },
        station: { id: r.station_id, name: r.station_name },
        waitingSince: r.created_at.toISOString(),
        vitals,
        flags: vitals.map((v) => v.flag).filter((f): f is string => !!f),
        clinician: r.clinician_username ? { username: r.clinician_username, displayName: r.clinician_name! } : null,
      };
    }),
  );
  const [, available] = await Promise.all([
    insertAudit(d.sql, {
      actor: participant.staff(clinician.username),
      action: 'consult.queue.read',
      subject: 'consults',
      detail: { patients: entries.map((e) => e.patient.id) },
    }),
    availableClinicians(d.sql),
  ]);
  return { entries, available };
}
