// All SQL of public-service submissions: the submission, its history, its sealed attachments and
// the outbox of forwarded ones.
import type { Sql, Tx } from '../db/client.ts';
import type { Authority, SubmissionEventView, SubmissionStatus } from '@tram/contracts';

export interface SubmissionRow {
  id: string;
  receipt: string;
  station_id: string;
  ward_id: number;
  citizen_id: string;
  service: string;
  authority: Authority;
  delivery: 'reviewed_here' | 'forwarded';
  status: SubmissionStatus;
  fields: Record<string, unknown>;
  return_reason: string | null;
  reference: string | null;
  submitted_at: Date;
  promised_by: Date;
}

export async function submissionByKey(sql: Sql | Tx, stationId: string, key: string): Promise<SubmissionRow | null> {
  const [r] = await sql<SubmissionRow[]>`SELECT * FROM service_submissions WHERE station_id = ${stationId} AND idempotency_key = ${key}`;
  return r ?? null;
}

export async function submissionByReceipt(sql: Sql | Tx, receipt: string): Promise<SubmissionRow | null> {
  const [r] = await sql<SubmissionRow[]>`SELECT * FROM service_submissions WHERE receipt = ${receipt}`;
  return r ?? null;
}

export async function submissionById(sql: Sql | Tx, id: string): Promise<SubmissionRow | null> {
  const [r] = await sql<SubmissionRow[]>`SELECT * FROM service_submissions WHERE id = ${id}`;
  return r ?? null;
}

/** Inserts the submission; null when the station already sent this idempotency key. */
export async function insertSubmission(
  tx: Tx,
  s: {
    receipt: string;
    stationId: string;
    wardId: number;
    citizenId: string;
    key: string;
    service: string;
    authority: string;
    delivery: string;
    fields: Record<string, unknown>;
    promisedBy: Date;
  },
): Promise<SubmissionRow | null> {
  const [r] = await tx<SubmissionRow[]>`
    INSERT INTO service_submissions (receipt, station_id, ward_id, citizen_id, idempotency_key, service, authority, delivery, status, fields, promised_by)
    VALUES (${s.receipt}, ${s.stationId}, ${s.wardId}, ${s.citizenId}, ${s.key}, ${s.service}, ${s.authority}, ${s.delivery}, 'submitted',
      ${tx.json(s.fields as never)}, ${s.promisedBy})
    ON CONFLICT (station_id, idempotency_key) DO NOTHING RETURNING *`;
  return r ?? null;
}

export async function insertServiceEvent(
  tx: Sql | Tx,
  submissionId: string,
  kind: SubmissionEventView['kind'],
  actor: string,
  note: string | null,
) {
  await tx`INSERT INTO service_events (submission_id, kind, actor, note) VALUES (${submissionId}, ${kind}, ${actor}, ${note})`;
}

export async function eventsOf(sql: Sql | Tx, ids: string[]): Promise<Map<string, SubmissionEventView[]>> {
  const m = new Map<string, SubmissionEventView[]>();
  if (!ids.length) return m;
  const rows = await sql<{ submission_id: string; at: Date; kind: SubmissionEventView['kind']; actor: string; note: string | null }[]>`
    SELECT submission_id, at, kind, actor, note FROM service_events WHERE submission_id = ANY(${ids}::uuid[]) ORDER BY id`;
  for (const r of rows) {
    const list = m.get(r.submission_id) ?? [];
    list.push({ at: r.at.toISOString(), kind: r.kind, actor: r.actor, note: r.note });
    m.set(r.submission_id, list);
  }
  return m;
}

export async function insertAttachment(
  tx: Tx,
  a: { submissionId: string; document: string; contentType: string; bytes: number; sealed: Buffer; id: string },
) {
  await tx`INSERT INTO service_attachments (id, submission_id, document, content_type, bytes, sealed)
    VALUES (${a.id}, ${a.submissionId}, ${a.document}, ${a.contentType}, ${a.bytes}, ${a.sealed})`;
}

export async function attachmentsOf(sql: Sql | Tx, ids: string[]): Promise<Map<string, { id: string; document: string; bytes: number }[]>> {
  const m = new Map<string, { id: string; document: string; bytes: number }[]>();
  if (!ids.length) return m;
  const rows = await sql<{ id: string; submission_id: string; document: string; bytes: number }[]>`
    SELECT id, submission_id, document, bytes FROM service_attachments WHERE submission_id = ANY(${ids}::uuid[]) ORDER BY created_at, id`;
  for (const r of rows) {
    const list = m.get(r.submission_id) ?? [];
    list.push({ id: r.id, document: r.document, bytes: r.bytes });
    m.set(r.submission_id, list);
  }
  return m;
}

export async function attachmentById(
  sql: Sql,
  submissionId: string,
  id: string,
): Promise<{ id: string; content_type: string; sealed: Buffer } | null> {
  const [r] = await sql<{ id: string; content_type: string; sealed: Buffer }[]>`
    SELECT id, content_type, sealed FROM service_attachments WHERE id = ${id} AND submission_id = ${submissionId}`;
  return r ?? null;
}

export const submissionsOfCitizen = (sql: Sql, citizenId: string) =>
  sql<SubmissionRow[]>`SELECT * FROM service_submissions WHERE citizen_id = ${citizenId} ORDER BY submitted_at DESC LIMIT 50`;

/** The review queue of an authority in these wards: open first, oldest promise first. */
export const reviewQueue = (sql: Sql, authority: Authority, wardIds: number[]) =>
  sql<SubmissionRow[]>`
    SELECT * FROM service_submissions
    WHERE authority = ${authority} AND ward_id = ANY(${wardIds}::int[]) AND delivery = 'reviewed_here'
    ORDER BY (status IN ('submitted', 'approved')) DESC, promised_by ASC LIMIT 200`;

/** Moves a submission from one of `from` to `to`; null when it was not in one of them (someone else decided first). */
export async function markStatus(
  tx: Tx,
  id: string,
  from: SubmissionStatus[],
  to: SubmissionStatus,
  set: { returnReason?: string | null; reference?: string | null; fields?: Record<string, unknown> } = {},
): Promise<SubmissionRow | null> {
  const [r] = await tx<SubmissionRow[]>`
    UPDATE service_submissions SET status = ${to}, updated_at = now(),
      return_reason = ${set.returnReason === undefined ? null : set.returnReason},
      reference = COALESCE(${set.reference ?? null}, reference),
      fields = COALESCE(${set.fields ? tx.json(set.fields as never) : null}::jsonb, fields)
    WHERE id = ${id} AND status = ANY(${from}::text[]) RETURNING *`;
  return r ?? null;
}

export async function enqueueForward(tx: Tx, submissionId: string) {
  await tx`INSERT INTO service_outbox (submission_id) VALUES (${submissionId}) ON CONFLICT DO NOTHING`;
}

/** Takes one due outbox row (SKIP LOCKED: any hub instance may deliver, never two at once). */
export async function takeDueForward(tx: Tx): Promise<{ submission_id: string; attempts: number } | null> {
  const [r] = await tx<{ submission_id: string; attempts: number }[]>`
    SELECT submission_id, attempts FROM service_outbox WHERE delivered_at IS NULL AND next_at <= now()
    ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
  return r ?? null;
}

export async function markForwarded(tx: Tx, submissionId: string) {
  await tx`UPDATE service_outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE submission_id = ${submissionId}`;
}

export async function markForwardFailed(tx: Tx, submissionId: string, error: string, retryInS: number) {
  await tx`UPDATE service_outbox SET attempts = attempts + 1, last_error = ${error.slice(0, 500)},
    next_at = now() + make_interval(secs => ${retryInS}) WHERE submission_id = ${submissionId}`;
}
