// Inputs of the vitals API (zod), shared by the routes and the station agent's contract.
import { z } from 'zod';

export const READING_KINDS = ['weight', 'height', 'temperature', 'spo2', 'heart_rate', 'blood_pressure', 'respiratory_rate'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

const device = z.object({
  id: z.string().min(1).max(128),
  model: z.string().min(1).max(128),
  protocol: z.string().min(1).max(64),
}).strict();

export const reading = z.object({
  // The agent's reading id (a UUID); with the station it identifies the Observation, so a retry is a duplicate.
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'reading id: 1-64 letters, digits, ".", "_" or "-"'),
  kind: z.enum(READING_KINDS),
  value: z.number().finite().optional(),
  values: z.object({ systolic: z.number().finite(), diastolic: z.number().finite(), mean: z.number().finite().optional() }).strict().optional(),
  unit: z.string().min(1).max(16),
  at: z.iso.datetime({ offset: true }),
  device,
}).strict().superRefine((r, ctx) => {
  if (r.kind === 'blood_pressure') {
    if (!r.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'blood_pressure needs values {systolic, diastolic}' });
    if (r.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'blood_pressure takes values, not value' });
  } else {
    if (r.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${r.kind} needs a value` });
    if (r.values) ctx.addIssue({ code: 'custom', path: ['values'], message: `${r.kind} takes value, not values` });
  }
});
export type Reading = z.infer<typeof reading>;

export const ingestBody = z.object({
  sessionId: z.uuid(),
  readings: z.array(reading).min(1).max(100),
}).strict();

