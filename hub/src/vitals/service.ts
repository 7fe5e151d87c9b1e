// Ingest of a station's readings: check, build and validate Observations, store them in one
// transaction (idempotent by reading id), derive BMI, and tell the kiosk what arrived and what is
// out of range through the bus.
import type { HubDeps } from '../deps.ts';
import type { Tx } from '../db/client.ts';
import type { BusEvent } from '../db/bus.ts';
import type { Station } from '../stations/store.ts';
import {
  LOINC,
  VITALS,
  topic,
  type IngestAnswer,
  type ObservationSummary,
  type Reading,
  type VitalFlag,
  type VitalKind,
} from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { stationSession } from '../identity/store.ts';
import { validateObservation } from '../fhir/validate.ts';
import { insertObservations, upsertResources, type ObservationRow, type UpsertRow } from '../fhir/store.ts';
import { insertOutbox } from '../fhir/upstream/store.ts';
import { recordSubscriptionEvents } from '../fhir/subscriptions/service.ts';
import { checkReading, toCanonical } from './bounds.ts';
import { assess, type Flag, type Interp } from './flags.ts';
import {
  bmiObservation,
  gatewayDevice,
  readingObservation,
  sensorDevice,
  sessionEncounter,
  type ObsContext,
  type Resource,
} from './observation.ts';
import { latestQuantities } from './store.ts';

// Agent and hub clocks differ a little; a reading this close before the session's start (or after
// 'now' for an open session) still belongs to it.
const CLOCK_SKEW_MS = 60_000;
/** How long after a session ends its late (queued) readings are still accepted. */
export const LATE_READINGS_MS = 5 * 60_000;
// A height and a weight measured this close together in one session make a BMI.
const BMI_FRESH_MS = 15 * 60_000;
const EVENT_BUDGET = 7000; // bytes per NOTIFY payload (PostgreSQL's limit is 8000)

export type RaisedFlag = VitalFlag & { observationId: string };
/** The answer of the wire format, plus the flags raised and the ids of Observations derived on the hub (BMI). */
export interface IngestResult extends IngestAnswer {
  flags: RaisedFlag[];
  derived: string[];
}

// `kind` is a VitalKind because BMI (derived on the hub) travels the same way as readings.
interface Candidate {
  readingId: string;
  kind: VitalKind;
  at: string;
  obs: Resource;
  interpretation?: Interp;
  flag?: Flag;
}

const tokens = (cc: { coding?: { system: string; code: string }[] }[] | { coding?: { system: string; code: string }[] }) =>
  (Array.isArray(cc) ? cc : [cc]).flatMap((c) => (c.coding ?? []).map((x) => `${x.system}|${x.code}`));

function rowOf(obs: Resource, readingId: string, patientId: string, encounterId: string): ObservationRow {
  const code = obs.code as { coding: { system: string; code: string }[] };
  return {
    id: obs.id,
    readingId,
    patientId,
    encounterId,
    code: code.coding.find((c) => c.system === LOINC)!.code,
    codes: tokens(code),
    categories: tokens(obs.category as never),
    effective: obs.effectiveDateTime as string,
    resource: obs,
  };
}

export async function ingestReadings(d: HubDeps, station: Station, sessionId: string, readings: Reading[]): Promise<Outcome<IngestResult>> {
  const session = await stationSession(d.sql, station.id, sessionId);
  if (!session) return fail(409, 'no_citizen_session', 'sessionId is not a citizen session of this station');
  // Readings queued while the station was briefly offline still belong to the session just ended;
  // an older session is closed for good (its resident's record must not grow afterwards).
  if (session.endedAt && Date.now() - Date.parse(session.endedAt) > LATE_READINGS_MS)
    return fail(409, 'no_citizen_session', `This citizen session ended more than ${LATE_READINGS_MS / 60_000} minutes ago`);
  const from = Date.parse(session.openedAt) - CLOCK_SKEW_MS;
  // After the end nothing is tolerated: the booth may already be measuring the next resident.
  const until = session.endedAt ? Date.parse(session.endedAt) : Date.now() + CLOCK_SKEW_MS;
  const octx: ObsContext = { stationId: station.id, citizenId: session.citizenId, encounterId: session.id };

  const result: IngestResult = { accepted: [], duplicates: [], rejected: [], flags: [], derived: [] };
  const candidates: Candidate[] = [];
  const valid: Reading[] = [];
  const seen = new Set<string>();
  for (const r of readings) {
    if (seen.has(r.id)) {
      result.duplicates.push(r.id);
      continue;
    }
    seen.add(r.id);
    const t = Date.parse(r.at);
    if (t < from || t > until) {
      result.rejected.push({ id: r.id, reason: 'outside_session: the reading was taken outside this citizen session' });
      continue;
    }
    const checked = checkReading(r);
    if (!checked.ok) {
      result.rejected.push({ id: r.id, reason: checked.reason });
      continue;
    }
    const a = assess(r.kind, checked.canonical);
    const obs = readingObservation(octx, r, a.interpretation);
    const issues = validateObservation(obs);
    if (issues.length) {
      d.log.warn({ readingId: r.id, issues }, 'built Observation failed validation');
      result.rejected.push({ id: r.id, reason: `invalid_observation: ${issues.map((i) => i.details?.text).join('; ')}` });
      continue;
    }
    candidates.push({
      readingId: r.id,
      kind: r.kind,
      at: obs.effectiveDateTime as string,
      obs,
      interpretation: a.interpretation,
      flag: a.flag,
    });
    valid.push(r);
  }
  if (!candidates.length) return ok(result);

  const kindsByDevice = new Map<string, { device: Reading['device']; kinds: VitalKind[] }>();
  for (const r of valid) {
    const e = kindsByDevice.get(r.device.id) ?? { device: r.device, kinds: [] };
    e.kinds.push(r.kind);
    kindsByDevice.set(r.device.id, e);
  }
  const upserts: UpsertRow[] = [
    {
      type: 'Encounter',
      id: session.id,
      stationId: station.id,
      patientId: session.citizenId,
      resource: sessionEncounter(session, station.name),
    },
    { type: 'Device', id: gatewayDevice(station).id, stationId: station.id, patientId: null, resource: gatewayDevice(station) },
    ...[...kindsByDevice.values()].map(({ device, kinds }): UpsertRow => {
      const res = sensorDevice(station.id, device, kinds);
      return { type: 'Device', id: res.id, stationId: station.id, patientId: null, resource: res };
    }),
  ];

  // Outside the transaction: a Device or Encounter without Observations is harmless, and the
  // store's "already written" cache must only remember committed rows.
  await upsertResources(d.sql, upserts);
  const published: Candidate[] = [];
  const events = await d.sql.begin(async (tx) => {
    const inserted = await insertObservations(
      tx,
      station.id,
      candidates.map((c) => rowOf(c.obs, c.readingId, session.citizenId, session.id)),
    );
    for (const c of candidates) {
      if (inserted.has(c.obs.id)) {
        result.accepted.push(c.readingId);
        published.push(c);
      } else result.duplicates.push(c.readingId);
    }
    if (published.some((c) => c.kind === 'height' || c.kind === 'weight')) {
      const bmi = await deriveBmi(tx, octx, station.id);
      if (bmi) {
        result.derived.push(bmi.id);
        published.push({ readingId: bmi.id, kind: 'bmi', at: bmi.effectiveDateTime as string, obs: bmi });
      }
    }
    const [fhirEvents] = await Promise.all([
      // FHIR Subscriptions: number an event per new Observation for each matching subscription
      recordSubscriptionEvents(tx, {
        patientId: session.citizenId,
        encounterId: session.id,
        observationIds: published.map((c) => c.obs.id),
      }),
      // Optional upstream FHIR server: queued in the same transaction, so none is ever missed.
      d.config.fhirUpstream.url
        ? insertOutbox(
            tx,
            published.map((c) => c.obs.id),
          )
        : undefined,
    ]);
    return [...(published.length ? vitalsEvents(station.id, session, published, latestFlags(published)) : []), ...fhirEvents];
  });
  result.flags = latestFlags(candidates);
  // After the commit (the readings are stored whatever happens next), outside PostgreSQL's
  // one-at-a-time line of NOTIFYing commits: see Bus.publishCommitted.
  // The readings are stored: a failed announcement must not turn the answer into an error.
  await d.bus.publishCommitted(events).catch((err) => d.log.error({ err, station: station.id }, 'publishing vitals events failed'));
  return ok(result);
}

/** Flags of the latest reading of each kind in the batch (an older reading's flag is superseded). */
function latestFlags(cs: Candidate[]): RaisedFlag[] {
  const latest = new Map<VitalKind, Candidate>();
  for (const c of cs) {
    const prev = latest.get(c.kind);
    if (!prev || Date.parse(c.at) >= Date.parse(prev.at)) latest.set(c.kind, c);
  }
  return [...latest.values()].filter((c) => c.flag).map((c) => ({ ...c.flag!, readingId: c.readingId, observationId: c.obs.id }));
}

const [WEIGHT, HEIGHT] = [VITALS.weight.loinc[0]!.code, VITALS.height.loinc[0]!.code];

async function deriveBmi(tx: Tx, octx: ObsContext, stationId: string): Promise<Resource | null> {
  const rows = await latestQuantities(tx, octx.encounterId, [WEIGHT, HEIGHT]);
  const w = rows.find((r) => r.code === WEIGHT),
    h = rows.find((r) => r.code === HEIGHT);
  if (!w || !h || Math.abs(w.effective.getTime() - h.effective.getTime()) > BMI_FRESH_MS) return null;
  const bmi = bmiObservation(
    octx,
    { id: w.id, kg: toCanonical(w.unit, w.value), at: w.effective },
    { id: h.id, cm: toCanonical(h.unit, h.value), at: h.effective },
  );
  const v = (bmi.valueQuantity as { value: number }).value;
  if (v < 8 || v > 80 || validateObservation(bmi).length) return null;
  const inserted = await insertObservations(tx, stationId, [
    rowOf(bmi, (bmi.identifier as { value: string }[])[0]!.value, octx.citizenId, octx.encounterId),
  ]);
  return inserted.has(bmi.id) ? bmi : null;
}

const COMPONENT_NAME = new Map(VITALS.blood_pressure.components!.map((c) => [c.loinc.code, c.name]));

/** An Observation as events carry it: ids and values, no FHIR resource. */
function summary(c: Candidate): ObservationSummary {
  const q = c.obs.valueQuantity as { value: number; code: string } | undefined;
  const comps = c.obs.component as { code: { coding: { code: string }[] }; valueQuantity: { value: number; code: string } }[] | undefined;
  return {
    id: c.obs.id,
    readingId: c.readingId,
    kind: c.kind,
    code: VITALS[c.kind].loinc[0]!.code,
    at: c.at,
    ...(q ? { value: q.value, unit: q.code } : {}),
    ...(comps
      ? {
          values: Object.fromEntries(comps.map((k) => [COMPONENT_NAME.get(k.code.coding[0]!.code)!, k.valueQuantity.value])) as NonNullable<
            ObservationSummary['values']
          >,
          unit: comps[0]!.valueQuantity.code,
        }
      : {}),
    ...(c.interpretation ? { interpretation: c.interpretation } : {}),
  };
}

/** `vitals.observation` events: ids and values only, split so each fits a NOTIFY payload. */
function vitalsEvents(stationId: string, session: { id: string; citizenId: string }, cs: Candidate[], flags: RaisedFlag[]): BusEvent[] {
  const topics = [topic.station(stationId), topic.session(session.id), topic.patient(session.citizenId)];
  const base = { sessionId: session.id, patientId: session.citizenId };
  const events: BusEvent[] = [];
  let chunk: ObservationSummary[] = [];
  let size = JSON.stringify({ ...base, flags }).length + 200;
  const flush = () => {
    events.push({ topics, type: 'vitals.observation', data: { ...base, observations: chunk, flags: events.length ? [] : flags } });
    chunk = [];
    size = 300;
  };
  for (const c of cs) {
    const s = summary(c);
    const n = Buffer.byteLength(JSON.stringify(s)) + 1;
    if (chunk.length && size + n > EVENT_BUDGET) flush();
    chunk.push(s);
    size += n;
  }
  if (chunk.length) flush();
  return events;
}
