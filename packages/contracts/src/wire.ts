// The station agent → hub vitals wire format: POST /api/vitals/readings with
// `Authorization: Station <credential>`; the hub validates with these schemas, the agent builds
// batches of this shape and reads the answer with `ingestAnswer`.
import { z } from 'zod';
import { BOOTH_KINDS, READING_KINDS } from './vitals.ts';

export const deviceRef = z.strictObject({
  /** Stable per physical device at this station. */
  id: z.string().min(1).max(128),
  model: z.string().min(1).max(128),
  protocol: z.string().min(1).max(64),
});
export type DeviceRef = z.infer<typeof deviceRef>;

export const reading = z
  .strictObject({
    // The agent's reading id (a UUID); with the station it identifies the Observation, so a retry is a duplicate.
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'reading id: 1-64 letters, digits, ".", "_" or "-"'),
    kind: z.enum(READING_KINDS),
    value: z.number().finite().optional(),
    values: z
      .strictObject({ systolic: z.number().finite(), diastolic: z.number().finite(), mean: z.number().finite().optional() })
      .optional(),
    unit: z.string().min(1).max(16),
    at: z.iso.datetime({ offset: true }),
    device: deviceRef,
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'blood_pressure') {
      if (!r.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'blood_pressure needs values {systolic, diastolic}' });
      if (r.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'blood_pressure takes values, not value' });
    } else {
      if (r.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${r.kind} needs a value` });
      if (r.values) ctx.addIssue({ code: 'custom', path: ['values'], message: `${r.kind} takes value, not values` });
    }
  });
export type Reading = z.infer<typeof reading>;

export const MAX_BATCH = 100;

export const ingestBody = z.strictObject({
  sessionId: z.uuid(),
  readings: z.array(reading).min(1).max(MAX_BATCH),
});
export type ReadingsBatch = z.infer<typeof ingestBody>;

/** The hub's answer: each reading id is accepted, a duplicate of one already stored, or rejected. */
export const ingestAnswer = z.object({
  accepted: z.array(z.string()),
  duplicates: z.array(z.string()),
  rejected: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type IngestAnswer = z.infer<typeof ingestAnswer>;

/** A clinician's re-measure request, sent by the hub to the station. */
export const remeasureBody = z.strictObject({ kind: z.enum(BOOTH_KINDS) });
