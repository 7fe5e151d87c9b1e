// Subscription flows (Backport IG, R4): create, own, switch off, binding tokens, catching up on
// events, and numbering events in the ingest transaction. Every read of notified health data is audited.
import type { HubDeps } from '../../deps.ts';
import type { Sql, Tx } from '../../db/client.ts';
import type { BusEvent } from '../../db/bus.ts';
import type { Staff } from '../../auth/staff.ts';
import { participant, topic } from '@tram/contracts';
import { fail, ok, type Outcome } from '../../http/outcome.ts';
import { insertAudit } from '../../audit/store.ts';
import { digest, newSecret } from '../../auth/tokens.ts';
import { basisLabel, notInCare } from '../access.ts';
import { patientOfEncounter, permittedPatients, type Basis } from '../access-store.ts';
import {
  advanceEventCounts,
  eventsBetween,
  insertSubscription,
  insertSubscriptionEvents,
  insertWsToken,
  subscriptionById,
  tokenBinding,
  updateSubscriptionStatus,
  type EventRow,
  type SubscriptionRow,
} from './store.ts';

export const TOKEN_TTL_S = 3600;

/** What a subscription's notifications are about, as an audit subject (a FHIR reference). */
const aboutOf = (s: Pick<SubscriptionRow, 'filter_patient' | 'filter_encounter'>) =>
  s.filter_patient ? `Patient/${s.filter_patient}` : `Encounter/${s.filter_encounter}`;

/**
 * Why the subscription's patient (named, or the one its encounter is about) is in the staff
 * member's care now, or undefined: checked when subscribing, binding a socket, catching up and
 * delivering, so notifications stop when the care relationship, the break-glass grant or the
 * ownership of the escalated call ends. The basis goes into the audit rows as their purpose.
 */
export async function subscriptionInCare(
  d: HubDeps,
  staffId: string,
  s: Pick<SubscriptionRow, 'filter_patient' | 'filter_encounter'>,
): Promise<Basis | undefined> {
  const patient = s.filter_patient ?? (s.filter_encounter ? await patientOfEncounter(d.sql, s.filter_encounter) : null);
  if (!patient) return undefined;
  return (await permittedPatients(d.sql, staffId, d.config.healthAccess.consultHours)).get(patient);
}

export async function createSubscription(
  d: HubDeps,
  owner: Staff,
  s: Omit<Parameters<typeof insertSubscription>[1], 'ownerStaffId'>,
): Promise<Outcome<SubscriptionRow>> {
  const basis = await subscriptionInCare(d, owner.id, { filter_patient: s.patient, filter_encounter: s.encounter });
  if (!basis) {
    await insertAudit(d.sql, {
      actor: participant.staff(owner.username),
      action: 'fhir.denied',
      subject: aboutOf({ filter_patient: s.patient, filter_encounter: s.encounter }),
      detail: { op: 'subscribe' },
    });
    return notInCare();
  }
  const sub = await insertSubscription(d.sql, { ownerStaffId: owner.id, ...s });
  await insertAudit(d.sql, {
    actor: participant.staff(owner.username),
    action: 'fhir.subscribe',
    subject: aboutOf({ filter_patient: s.patient, filter_encounter: s.encounter }),
    detail: { subscription: sub.id, patients: s.patient ? [s.patient] : [], purpose: basisLabel(basis) },
  });
  return ok(sub);
}

/** The caller's own subscription; anyone else's is as good as absent. */
export async function ownSubscription(d: HubDeps, who: Staff, id: string | null, raw: string): Promise<Outcome<SubscriptionRow>> {
  const sub = id ? await subscriptionById(d.sql, id) : undefined;
  if (!sub || sub.owner_staff_id !== who.id) return fail(404, 'not-found', `Subscription/${raw} is not known`);
  return ok(sub);
}

export const switchOff = (d: HubDeps, sub: SubscriptionRow) => updateSubscriptionStatus(d.sql, sub.id, 'off');

export async function issueBindingToken(
  d: HubDeps,
  sub: SubscriptionRow,
  who: Staff,
  sessionToken: string,
): Promise<Outcome<{ token: string; expiresAt: Date }>> {
  if (sub.status !== 'active') return fail(409, 'business-rule', 'The subscription is not active');
  if (!(await subscriptionInCare(d, who.id, sub))) return notInCare();
  const token = newSecret();
  // Tied to the asking session: its end closes the sockets bound with this token (ws.ts).
  const expiresAt = await insertWsToken(d.sql, {
    tokenHash: digest(token),
    subscriptionId: sub.id,
    staffId: who.id,
    sessionHash: digest(sessionToken),
    ttlS: TOKEN_TTL_S,
  });
  return ok({ token, expiresAt });
}

/** $events: the numbered events in a range (an audited read of the Observations they point at). */
export async function eventsOf(d: HubDeps, who: Staff, sub: SubscriptionRow, since: bigint, until: bigint): Promise<EventRow[]> {
  const basis = await subscriptionInCare(d, who.id, sub);
  if (!basis) return [];
  const events = since > until ? [] : await eventsBetween(d.sql, sub.id, since, until);
  await insertAudit(d.sql, {
    actor: participant.staff(who.username),
    action: 'fhir.read',
    subject: aboutOf(sub),
    detail: {
      subscription: sub.id,
      op: '$events',
      from: String(since),
      to: String(until),
      results: events.length,
      purpose: basisLabel(basis),
    },
  });
  return events;
}

/** A websocket delivered events `first..last` to these users. */
export async function auditDelivery(
  d: HubDeps,
  sub: SubscriptionRow,
  usernames: Iterable<string>,
  first: bigint,
  last: bigint,
  basis?: Basis,
): Promise<void> {
  for (const u of usernames) {
    await insertAudit(d.sql, {
      actor: participant.staff(u),
      action: 'fhir.read',
      subject: aboutOf(sub),
      detail: { subscription: sub.id, events: `${first}..${last}`, via: 'websocket', purpose: basisLabel(basis) },
    });
  }
}

/** The subscription a token binds to, if the token is current, the subscription active and its owner still a clinician. */
export async function subscriptionForToken(
  sql: Sql,
  token: string,
): Promise<{ sub: SubscriptionRow; username: string; staffId: string; session: string } | null> {
  const binding = await tokenBinding(sql, digest(token));
  if (!binding) return null;
  const sub = await subscriptionById(sql, binding.subscriptionId);
  return sub && sub.status === 'active' ? { sub, username: binding.username, staffId: binding.staffId, session: binding.session } : null;
}

/**
 * Called in the ingest transaction with the Observations just stored: numbers one event per
 * Observation for every matching active subscription. Returns the announcements of the ranges, to
 * publish once the transaction committed (bus.publishCommitted): whichever hub instance holds the
 * socket delivers them, and a client that missed one fills the gap with $events.
 */
export async function recordSubscriptionEvents(
  tx: Tx,
  o: { patientId: string; encounterId: string; observationIds: string[] },
): Promise<BusEvent[]> {
  if (!o.observationIds.length) return [];
  const n = o.observationIds.length;
  const events: BusEvent[] = [];
  // Issued together: postgres.js pipelines them on the transaction's connection.
  const writes: Promise<void>[] = [];
  for (const s of await advanceEventCounts(tx, { patientId: o.patientId, encounterId: o.encounterId, n })) {
    const first = BigInt(s.last) - BigInt(n) + 1n;
    writes.push(insertSubscriptionEvents(tx, s.id, first, o.observationIds));
    events.push({
      topics: [topic.fhirSubscription(s.id)],
      type: 'fhir.subscription.events',
      data: { subscriptionId: s.id, first: first.toString(), last: s.last },
    });
  }
  await Promise.all(writes);
  return events;
}
