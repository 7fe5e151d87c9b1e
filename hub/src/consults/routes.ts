// HTTP surface of doctor consults: the kiosk's side (station credential) and the clinicians'.
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { valid } from '../http/validate.ts';
import { requireStaff, requireStation } from '../auth/middleware.ts';
import { audit } from '../auth/audit.ts';
import { idempotencyKey, presenceBody, raiseConsultBody, remeasureBody, visitNoteBody } from '@tram/contracts';
import type { CallDeps } from '../calls/service.ts';
import { raiseCall } from '../calls/service.ts';
import { stationById } from '../stations/registry.ts';
import {
  acceptConsult, availableClinicians, cancelConsult, completeConsult, currentConsult, mediaFor, ownLiveConsult,
  ownPresence, queue, raiseConsult, requestRemeasure, CLINICIANS, type ConsultDeps,
} from './service.ts';
import { addEvent, toView } from './store.ts';
import type { VisitNoteWriter } from './visit-note.ts';

const idParam = z.object({ id: z.uuid() });
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function consultRoutes(d: ConsultDeps, calls: CallDeps, writeNote: VisitNoteWriter) {
  const { sql } = d;
  const station = requireStation(sql);
  const clinician = requireStaff(sql, ['clinician']);
  const refuse = (c: Parameters<typeof errorJson>[0], r: { status: 403 | 404 | 409; code: string; message: string }) => errorJson(c, r.status, r.code, r.message);

  return new Hono<HubEnv>()
    // --- the kiosk ---
    .get('/availability', station, async (c) => c.json({ available: await availableClinicians(sql) }))
    .post('/', station, valid('header', idemHeader), valid('json', raiseConsultBody), async (c) => {
      const b = c.req.valid('json');
      const r = await raiseConsult(d, c.get('station'), c.req.valid('header')['idempotency-key'], b.reason, b.note);
      if (!r.ok) return refuse(c, r);
      return c.json({ consult: r.value.consult }, r.value.created ? 201 : 200);
    })
    .get('/current', station, async (c) => c.json({ consult: await currentConsult(d, c.get('station')) }))
    .post('/:id/cancel', station, valid('param', idParam), async (c) => {
      const r = await cancelConsult(d, c.get('station'), c.req.valid('param').id);
      return r.ok ? c.json({ consult: r.value }) : refuse(c, r);
    })
    .post('/:id/media', station, valid('param', idParam), async (c) => {
      const r = await mediaFor(d, c.req.valid('param').id, { station: c.get('station') });
      return r.ok ? c.json({ media: r.value }) : refuse(c, r);
    })
    // --- clinicians ---
    .get('/presence', clinician, async (c) => c.json({ available: await ownPresence(sql, c.get('staff').id) }))
    .put('/presence', clinician, valid('json', presenceBody), async (c) => {
      const { available } = c.req.valid('json');
      await sql.begin(async (tx) => {
        await tx`INSERT INTO clinician_presence (staff_id, available) VALUES (${c.get('staff').id}, ${available})
                 ON CONFLICT (staff_id) DO UPDATE SET available = EXCLUDED.available, updated_at = now()`;
        await d.bus.publish(tx, { topics: [CLINICIANS], type: 'consult.presence', data: { available: await availableClinicians(tx) } });
      });
      return c.json({ available });
    })
    .get('/queue', clinician, async (c) => {
      const entries = await queue(d);
      await audit(sql, { actor: `staff:${c.get('staff').username}`, action: 'consult.queue.read', subject: 'consults', detail: { patients: entries.map((e) => e.patient.id) } });
      return c.json({ entries, available: await availableClinicians(sql) });
    })
    .post('/:id/accept', clinician, valid('param', idParam), async (c) => {
      const r = await acceptConsult(d, c.req.valid('param').id, c.get('staff'));
      if (!r.ok) return refuse(c, r);
      await audit(sql, { actor: `staff:${c.get('staff').username}`, action: 'consult.accept', subject: `consult:${r.value.consult.id}` });
      return c.json(r.value);
    })
    .post('/:id/rejoin', clinician, valid('param', idParam), async (c) => {
      const r = await mediaFor(d, c.req.valid('param').id, { staff: c.get('staff') });
      return r.ok ? c.json({ media: r.value }) : refuse(c, r);
    })
    .post('/:id/remeasure', clinician, valid('param', idParam), valid('json', remeasureBody), async (c) => {
      const r = await requestRemeasure(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json').kind);
      if (!r.ok) return refuse(c, r);
      await audit(sql, { actor: `staff:${c.get('staff').username}`, action: 'vitals.remeasure', subject: `consult:${c.req.valid('param').id}`, detail: r.value });
      return c.json(r.value);
    })
    .post('/:id/note', clinician, valid('param', idParam), valid('json', visitNoteBody), async (c) => {
      const note = c.req.valid('json');
      const staff = c.get('staff');
      const own = await ownLiveConsult(d, c.req.valid('param').id, staff);
      if (!own.ok) return refuse(c, own);
      // The note is written as FHIR first, so a completed consult always has its record.
      const written = await writeNote(own.value, staff, note);
      const r = await completeConsult(d, own.value.id, staff, { advice: note.advice, referral: note.referral });
      if (!r.ok) return refuse(c, r);
      await audit(sql, { actor: `staff:${staff.username}`, action: 'consult.note', subject: `consult:${own.value.id}`, detail: written });
      return c.json({ consult: await toView(sql, r.value), fhir: written });
    })
    .post('/:id/escalate', clinician, valid('param', idParam), async (c) => {
      const staff = c.get('staff');
      const own = await ownLiveConsult(d, c.req.valid('param').id, staff);
      if (!own.ok) return refuse(c, own);
      const st = (await stationById(sql, own.value.station_id))!;
      const vitals = await d.latestVitals(sql, own.value.citizen_id);
      const summary = vitals.map((v) => `${v.kind} ${v.values ? `${v.values.systolic}/${v.values.diastolic}` : v.value} ${v.unit}${v.flag ? ` (${v.flag})` : ''}`).join('; ');
      // One emergency call per consult, however often the button is pressed.
      const call = await raiseCall(calls, st, `consult-${own.value.id}`, `Bác sĩ ${staff.displayName} chuyển cấp cứu. Sinh hiệu: ${summary || 'chưa đo'}`.slice(0, 500));
      await addEvent(sql, own.value.id, 'escalated', `staff:${staff.username}`, { callId: call.call.id, vitals });
      return c.json({ call: call.call }, call.created ? 201 : 200);
    });
}
