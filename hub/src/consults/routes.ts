// HTTP surface of doctor consults: the kiosk's side (station credential) and the clinicians'.
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff, requireStation } from '../auth/middleware.ts';
import { idempotencyKey, presenceBody, raiseConsultBody, remeasureBody, visitNoteBody } from '@tram/contracts';
import {
  acceptConsult,
  availability,
  cancelConsult,
  currentConsult,
  endConsult,
  escalateConsult,
  mediaFor,
  presenceOf,
  queue,
  raiseConsult,
  requestRemeasure,
  saveNote,
  savedNoteOf,
  setPresence,
} from './service.ts';

const idParam = z.object({ id: z.uuid() });
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function consultRoutes(d: HubDeps) {
  const station = requireStation(d);
  const clinician = requireStaff(d, ['clinician']);

  return (
    new Hono<HubEnv>()
      // --- the kiosk ---
      .get('/availability', station, async (c) => c.json({ available: await availability(d) }))
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
      .get('/presence', clinician, async (c) => c.json({ available: await presenceOf(d, c.get('staff')) }))
      .put('/presence', clinician, valid('json', presenceBody), async (c) => {
        const { available } = c.req.valid('json');
        await setPresence(d, c.get('staff'), available);
        return c.json({ available });
      })
      .get('/queue', clinician, async (c) => c.json(await queue(d, c.get('staff'))))
      .post('/:id/accept', clinician, valid('param', idParam), async (c) => {
        const r = await acceptConsult(d, c.req.valid('param').id, c.get('staff'));
        return r.ok ? c.json(r.value) : refuse(c, r);
      })
      // rejoining (a reload, a lost connection) gives back the note saved so far, to go on editing it
      .post('/:id/rejoin', clinician, valid('param', idParam), async (c) => {
        const id = c.req.valid('param').id;
        const r = await mediaFor(d, id, { staff: c.get('staff') });
        return r.ok ? c.json({ media: r.value, note: await savedNoteOf(d, id, c.get('staff')) }) : refuse(c, r);
      })
      .post('/:id/remeasure', clinician, valid('param', idParam), valid('json', remeasureBody), async (c) => {
        const r = await requestRemeasure(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json').kind);
        return r.ok ? c.json(r.value) : refuse(c, r);
      })
      // saving the note and ending the consult are separate acts: the note is saved (and
      // re-saved) during the call; ending completes the consult from the last saved note
      .put('/:id/note', clinician, valid('param', idParam), valid('json', visitNoteBody), async (c) => {
        const r = await saveNote(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json'));
        return r.ok ? c.json(r.value) : refuse(c, r);
      })
      .post('/:id/end', clinician, valid('param', idParam), async (c) => {
        const r = await endConsult(d, c.req.valid('param').id, c.get('staff'));
        return r.ok ? c.json(r.value) : refuse(c, r);
      })
      .post('/:id/escalate', clinician, valid('param', idParam), async (c) => {
        const r = await escalateConsult(d, c.req.valid('param').id, c.get('staff'));
        if (!r.ok) return refuse(c, r);
        return c.json({ call: r.value.call }, r.value.created ? 201 : 200);
      })
  );
}
