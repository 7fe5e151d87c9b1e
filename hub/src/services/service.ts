// Public services: an identified resident submits a form (idempotent) and gets a receipt and a
// promised date; photos are sealed (AES-256-GCM) before they are stored; the reviewing
// authority's officers work a queue (approve, return with a reason, mark done with a reference),
// every read and decision audited; forwarded services leave through an outbox (forwarder.ts).
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { HubDeps } from '../deps.ts';
import type { Sql, Tx } from '../db/client.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';
import {
  formSchemaOf,
  REVIEWER_ROLE,
  participant,
  reviewTopic,
  serviceByCode,
  subject,
  type Authority,
  type DecisionBody,
  type PrefillView,
  type ReceiptStatusView,
  statusQr,
  type ServiceDeclaration,
  type SubmissionStatus,
  type SubmissionView,
} from '@tram/contracts';
import { fail, ok, type Failure, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById, touchActiveSession, type Citizen } from '../identity/store.ts';
import { stationById } from '../stations/store.ts';
import { open, seal } from './seal.ts';
import { addWorkingDays } from './working-days.ts';
import {
  attachmentById,
  attachmentsOf,
  enqueueForward,
  eventsOf,
  insertAttachment,
  insertServiceEvent,
  insertSubmission,
  markStatus,
  reviewQueue,
  submissionById,
  submissionByKey,
  submissionByReceipt,
  submissionsOfCitizen,
  type SubmissionRow,
} from './store.ts';

interface Attachment {
  document: string;
  contentType: 'image/jpeg';
  data: string;
}

const OPEN: SubmissionStatus[] = ['submitted', 'approved', 'returned'];

/** A receipt number a person can read out: TR-yymmdd-XXXXXX (no 0/O/1/I). */
function newReceipt(): string {
  const A = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const d = new Date();
  const ymd = `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `TR-${ymd}-${[...randomBytes(6)].map((b) => A[b % A.length]).join('')}`;
}

/**
 * The receipt's status token: HMAC-SHA256 of the receipt number with the hub's status key, 16
 * bytes in base64url. Nothing to store, the same for every reprint; null when the hub has no key.
 */
export function statusToken(key: Buffer | null, receipt: string): string | null {
  return key ? createHmac('sha256', key).update(`tram-status:${receipt}`).digest().subarray(0, 16).toString('base64url') : null;
}

async function views(
  sql: Sql | Tx,
  rows: SubmissionRow[],
  withApplicant = false,
  statusKey: Buffer | null = null,
): Promise<SubmissionView[]> {
  const ids = rows.map((r) => r.id);
  const [events, atts] = await Promise.all([eventsOf(sql, ids), attachmentsOf(sql, ids)]);
  const out: SubmissionView[] = [];
  for (const r of rows) {
    const v: SubmissionView = {
      id: r.id,
      receipt: r.receipt,
      service: r.service,
      authority: r.authority,
      status: r.status,
      fields: r.fields,
      attachments: atts.get(r.id) ?? [],
      submittedAt: r.submitted_at.toISOString(),
      promisedBy: r.promised_by.toISOString(),
      overdue: OPEN.includes(r.status) && r.promised_by.getTime() < Date.now(),
      returnReason: r.return_reason,
      reference: r.reference,
      history: events.get(r.id) ?? [],
    };
    const token = statusToken(statusKey, r.receipt);
    if (token) v.statusQr = statusQr(r.receipt, token);
    if (withApplicant) {
      const c = await citizenById(sql, r.citizen_id);
      const st = await stationById(sql, r.station_id);
      if (c) v.applicant = { fullName: c.fullName, idNumber: c.idNumber };
      if (st) v.station = { code: st.code, name: st.name };
    }
    out.push(v);
  }
  return out;
}

async function identified(d: HubDeps, station: Station): Promise<Outcome<Citizen>> {
  const session = await touchActiveSession(d.sql, station.id, d.config.identity.idleS);
  if (!session) return fail(409, 'no_citizen_session', 'Public services need the resident identified with their ID card');
  const c = await citizenById(d.sql, session.citizenId);
  return c ? ok(c) : fail(409, 'no_citizen_session', 'The identified resident is unknown');
}

/** The chip fields the hub holds for the resident at the station (an audited read). */
export async function prefill(d: HubDeps, station: Station): Promise<Outcome<PrefillView>> {
  const c = await identified(d, station);
  if (!c.ok) return c;
  await insertAudit(d.sql, {
    actor: participant.station(station.code),
    action: 'service.prefill.read',
    subject: subject.citizen(c.value.id),
    detail: { patients: [c.value.id] },
  });
  return ok({ fullName: c.value.fullName, idNumber: c.value.idNumber, dateOfBirth: c.value.dateOfBirth, sex: c.value.sex });
}

const invalid = (issues: { path: string; message: string }[]): Failure =>
  fail(400, 'invalid_request', `Invalid form: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });

/** The form checked against its declaration, with the chip's values in the prefilled fields. */
function checkForm(s: ServiceDeclaration, citizen: Citizen, fields: Record<string, unknown>, attachments: Attachment[], needDocs: boolean) {
  const merged: Record<string, unknown> = { ...fields };
  for (const f of s.fields) {
    const v = f.prefill ? citizen[f.prefill] : undefined;
    if (v) merged[f.name] = v;
  }
  const issues: { path: string; message: string }[] = [];
  const r = formSchemaOf(s.code)!.safeParse(merged);
  if (!r.success)
    for (const i of r.error.issues) issues.push({ path: ['fields', ...i.path.map(String)].join('.') || 'fields', message: i.message });
  const photos: { document: string; plain: Buffer }[] = [];
  for (const [n, a] of attachments.entries()) {
    const plain = Buffer.from(a.data, 'base64');
    const problem = !s.documents.some((doc) => doc.code === a.document)
      ? { path: `attachments.${n}.document`, message: 'Dịch vụ này không cần giấy tờ này / Not a document of this service' }
      : plain.length > 180_000
        ? { path: `attachments.${n}.data`, message: 'Ảnh quá lớn (tối đa 180 KB) / The photo is too large' }
        : plain.length < 4 || plain[0] !== 0xff || plain[1] !== 0xd8 || plain[2] !== 0xff
          ? { path: `attachments.${n}.data`, message: 'Ảnh không phải JPEG / The photo is not a JPEG' }
          : null;
    if (problem) issues.push(problem);
    else photos.push({ document: a.document, plain });
  }
  if (needDocs)
    for (const doc of s.documents)
      if (doc.required && !attachments.some((a) => a.document === doc.code))
        issues.push({ path: `attachments.${doc.code}`, message: `Cần ảnh: ${doc.label.vi} / A photo is needed: ${doc.label.en}` });
  if (issues.length) return { ok: false as const, failure: invalid(issues) };
  return { ok: true as const, fields: r.success ? (r.data as Record<string, unknown>) : {}, photos };
}

async function storePhotos(d: HubDeps, tx: Tx, submissionId: string, photos: { document: string; plain: Buffer }[]) {
  const key = d.config.services.attachmentKey!;
  for (const p of photos) {
    const id = randomUUID();
    await insertAttachment(tx, {
      id,
      submissionId,
      document: p.document,
      contentType: 'image/jpeg',
      bytes: p.plain.length,
      sealed: seal(key, p.plain, id),
    });
  }
}

export async function submit(
  d: HubDeps,
  station: Station,
  key: string,
  body: { service: string; fields: Record<string, unknown>; attachments: Attachment[] },
): Promise<Outcome<{ created: boolean; submission: SubmissionView }>> {
  const existing = await submissionByKey(d.sql, station.id, key);
  if (existing) return ok({ created: false, submission: (await views(d.sql, [existing], false, d.config.services.statusKey))[0]! });
  const s = serviceByCode(body.service);
  if (!s || s.delivery === 'payment') return invalid([{ path: 'service', message: 'Không có dịch vụ này / No such service' }]);
  if (body.attachments.length && !d.config.services.attachmentKey)
    return fail(503, 'attachments_unavailable', 'This hub has no attachment key (SERVICES_ATTACHMENT_KEY)');
  const c = await identified(d, station);
  if (!c.ok) return c;
  const form = checkForm(s, c.value, body.fields, body.attachments, true);
  if (!form.ok) return form.failure;
  const row = await d.sql.begin(async (tx) => {
    const r = await insertSubmission(tx, {
      receipt: newReceipt(),
      stationId: station.id,
      wardId: station.wardId,
      citizenId: c.value.id,
      key,
      service: s.code,
      authority: s.authority,
      delivery: s.delivery === 'forwarded' ? 'forwarded' : 'reviewed_here',
      fields: form.fields,
      promisedBy: addWorkingDays(new Date(), s.processingDays),
    });
    if (!r) return null;
    await insertServiceEvent(tx, r.id, 'submitted', participant.station(station.code), null);
    await storePhotos(d, tx, r.id, form.photos);
    if (s.delivery === 'forwarded') await enqueueForward(tx, r.id);
    else
      await d.bus.publish(tx, {
        topics: [reviewTopic(s.authority, station.wardId)],
        type: 'service.changed',
        data: { id: r.id, status: r.status },
      });
    return r;
  });
  const r = row ?? (await submissionByKey(d.sql, station.id, key))!;
  return ok({ created: !!row, submission: (await views(d.sql, [r], false, d.config.services.statusKey))[0]! });
}

/** The resident fixes a returned submission and sends it again (same receipt). */
export async function resubmit(
  d: HubDeps,
  station: Station,
  id: string,
  body: { fields: Record<string, unknown>; attachments: Attachment[] },
): Promise<Outcome<SubmissionView>> {
  const c = await identified(d, station);
  if (!c.ok) return c;
  const r = await submissionById(d.sql, id);
  if (!r || r.citizen_id !== c.value.id) return fail(404, 'not_found', 'No such submission');
  if (r.status !== 'returned') return fail(409, 'not_returned', 'Only a returned submission can be sent again');
  const s = serviceByCode(r.service)!;
  if (body.attachments.length && !d.config.services.attachmentKey)
    return fail(503, 'attachments_unavailable', 'This hub has no attachment key (SERVICES_ATTACHMENT_KEY)');
  const hasDocs = (await attachmentsOf(d.sql, [r.id])).get(r.id) ?? [];
  const form = checkForm(s, c.value, { ...r.fields, ...body.fields }, body.attachments, false);
  if (!form.ok) return form.failure;
  const missing = s.documents.filter(
    (doc) => doc.required && !hasDocs.some((h) => h.document === doc.code) && !form.photos.some((p) => p.document === doc.code),
  );
  if (missing.length)
    return invalid(
      missing.map((doc) => ({ path: `attachments.${doc.code}`, message: `Cần ảnh: ${doc.label.vi} / A photo is needed: ${doc.label.en}` })),
    );
  const updated = await d.sql.begin(async (tx) => {
    const u = await markStatus(tx, id, ['returned'], 'submitted', { fields: form.fields, returnReason: null });
    if (!u) return null;
    await insertServiceEvent(tx, id, 'resubmitted', participant.station(station.code), null);
    await storePhotos(d, tx, id, form.photos);
    await d.bus.publish(tx, { topics: [reviewTopic(u.authority, u.ward_id)], type: 'service.changed', data: { id, status: u.status } });
    return u;
  });
  if (!updated) return fail(409, 'not_returned', 'Only a returned submission can be sent again');
  return ok((await views(d.sql, [updated], false, d.config.services.statusKey))[0]!);
}

/** Every submission of the resident at the station, with its history (an audited read). */
export async function mine(d: HubDeps, station: Station): Promise<Outcome<SubmissionView[]>> {
  const c = await identified(d, station);
  if (!c.ok) return c;
  await insertAudit(d.sql, {
    actor: participant.station(station.code),
    action: 'service.status.read',
    subject: subject.citizen(c.value.id),
    detail: { patients: [c.value.id] },
  });
  return ok(await views(d.sql, await submissionsOfCitizen(d.sql, c.value.id), false, d.config.services.statusKey));
}

/**
 * The status of a receipt for whoever holds the paper (its QR scanned at a kiosk, no card): the
 * submission's progress and history, none of the form's personal fields. A wrong token and an
 * unknown receipt are the same 404. Audited as a read of the resident's record.
 */
export async function statusByReceipt(
  d: HubDeps,
  station: Station,
  b: { receipt: string; token: string },
): Promise<Outcome<ReceiptStatusView[]>> {
  const expected = statusToken(d.config.services.statusKey, b.receipt);
  const given = Buffer.from(b.token);
  const r =
    expected && given.length === expected.length && timingSafeEqual(given, Buffer.from(expected))
      ? await submissionByReceipt(d.sql, b.receipt)
      : null;
  if (!r) return fail(404, 'not_found', 'Không tìm thấy hồ sơ của biên nhận này / No submission for this receipt');
  await insertAudit(d.sql, {
    actor: participant.station(station.code),
    action: 'service.status.read',
    subject: subject.citizen(r.citizen_id),
    detail: { patients: [r.citizen_id], receipt: r.receipt, by: 'receipt_qr' },
  });
  return ok(
    (await views(d.sql, [r])).map((v) => ({
      receipt: v.receipt,
      service: v.service,
      authority: v.authority,
      status: v.status,
      submittedAt: v.submittedAt,
      promisedBy: v.promisedBy,
      overdue: v.overdue,
      returnReason: v.returnReason,
      reference: v.reference,
      history: v.history,
    })),
  );
}

const authorityOf = (staff: Staff): Authority | null => {
  for (const [a, role] of Object.entries(REVIEWER_ROLE)) if (role === staff.role) return a as Authority;
  return null;
};

/** The officer's review queue (their authority, their wards); an audited read. */
export async function queue(d: HubDeps, staff: Staff): Promise<SubmissionView[]> {
  const authority = authorityOf(staff);
  if (!authority) return [];
  const rows = await reviewQueue(d.sql, authority, staff.wardIds);
  if (rows.length)
    await insertAudit(d.sql, {
      actor: participant.staff(staff.username),
      action: 'service.queue.read',
      subject: `service-queue:${authority}`,
      detail: { patients: [...new Set(rows.map((r) => r.citizen_id))], submissions: rows.map((r) => r.id) },
    });
  return views(d.sql, rows, true);
}

async function reviewable(d: HubDeps, staff: Staff, id: string): Promise<Outcome<SubmissionRow>> {
  const r = await submissionById(d.sql, id);
  const authority = authorityOf(staff);
  if (!r || !authority || r.authority !== authority || !staff.wardIds.includes(r.ward_id) || r.delivery !== 'reviewed_here')
    return fail(404, 'not_found', 'No such submission');
  return ok(r);
}

/** A decoded attachment for the reviewing officer (audited). */
export async function attachment(
  d: HubDeps,
  staff: Staff,
  id: string,
  attachmentId: string,
): Promise<Outcome<{ contentType: string; body: Buffer }>> {
  const r = await reviewable(d, staff, id);
  if (!r.ok) return r;
  const a = await attachmentById(d.sql, id, attachmentId);
  if (!a || !d.config.services.attachmentKey) return fail(404, 'not_found', 'No such attachment');
  await insertAudit(d.sql, {
    actor: participant.staff(staff.username),
    action: 'service.attachment.read',
    subject: `service:${id}`,
    detail: { patients: [r.value.citizen_id], attachment: attachmentId },
  });
  return ok({ contentType: a.content_type, body: open(d.config.services.attachmentKey, a.sealed, a.id) });
}

export async function decide(d: HubDeps, staff: Staff, id: string, b: DecisionBody): Promise<Outcome<SubmissionView>> {
  const r = await reviewable(d, staff, id);
  if (!r.ok) return r;
  const actor = participant.staff(staff.username);
  const updated = await d.sql.begin(async (tx) => {
    let u: SubmissionRow | null;
    if (b.decision === 'approve') u = await markStatus(tx, id, ['submitted'], 'approved');
    else if (b.decision === 'return') u = await markStatus(tx, id, ['submitted', 'approved'], 'returned', { returnReason: b.reason });
    else u = await markStatus(tx, id, ['submitted', 'approved'], 'done', { reference: b.reference });
    if (!u) return null;
    const note = b.decision === 'return' ? b.reason : b.decision === 'done' ? b.reference : null;
    const kind = b.decision === 'approve' ? 'approved' : b.decision === 'return' ? 'returned' : 'done';
    await insertServiceEvent(tx, id, kind, actor, note);
    await insertAudit(tx, { actor, action: `service.${kind}`, subject: `service:${id}`, detail: { patients: [u.citizen_id], note } });
    await d.bus.publish(tx, { topics: [reviewTopic(u.authority, u.ward_id)], type: 'service.changed', data: { id, status: u.status } });
    return u;
  });
  if (!updated)
    return fail(409, 'already_decided', `This submission is ${(await submissionById(d.sql, id))?.status}: the decision does not apply`);
  return ok((await views(d.sql, [updated], true))[0]!);
}
