// Operating a fleet of stations: enrolment (a one-time code exchanged for the station's
// credential), the agent's heartbeat, the fleet's health as the admin console shows it, and the
// administration of staff accounts.
import { z } from 'zod';
import { STAFF_ROLES } from './identity.ts';
import type { SelfTestView } from './selftest.ts';

/** Enrolment codes: 10 characters of Crockford base32 (no I, L, O, U), shown as XXXXX-XXXXX. */
export const ENROL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Normalises what a person typed: case, spaces and dashes do not matter; O→0, I/L→1. */
export const normaliseEnrolCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

/** POST /api/station/enrol (no credential: the code is the proof). */
export const enrolBody = z.strictObject({ code: z.string().trim().min(10).max(20) });
export interface EnrolView {
  credential: string;
  station: { code: string; name: string };
}

/** POST /api/admin/stations */
export const stationCreateBody = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
  name: z.string().trim().min(1).max(200),
  building: z.string().trim().max(200).optional(),
  floor: z.string().trim().max(50).optional(),
  address: z.string().trim().min(1).max(500),
  wardId: z.number().int().positive(),
  devicesExpected: z
    .array(z.string().regex(/^[a-z_]{1,32}$/))
    .max(20)
    .optional(),
});
export interface EnrolmentView {
  stationId: string;
  /** Shown once, as text and as a QR code. */
  code: string;
  expiresAt: string;
}

/** A component's health as the agent reports it. */
export const availability = z.enum(['available', 'missing', 'unknown']);
/** POST /agent/media: what the kiosk page found (navigator.mediaDevices). */
export const mediaReportBody = z.strictObject({ camera: availability, microphone: availability });

export const heartbeatBody = z.strictObject({
  version: z.string().max(64),
  uptimeS: z.number().int().nonnegative(),
  reader: z.enum(['ready', 'no_reader', 'off', 'unknown']),
  devices: z
    .array(
      z.strictObject({
        id: z.string().max(128),
        kind: z.string().max(32),
        state: z.enum(['connected', 'disconnected', 'error']),
        error: z.string().max(300).optional(),
        lastReadingAt: z.string().max(40).optional(),
      }),
    )
    .max(32),
  sosOutbox: z.number().int().nonnegative(),
  vitalsQueue: z.number().int().nonnegative(),
  camera: availability,
  microphone: availability,
  freeDiskMb: z.number().int().nonnegative().nullable(),
});
export type Heartbeat = z.infer<typeof heartbeatBody>;

export type FleetStatus = 'ok' | 'degraded' | 'offline' | 'never_seen' | 'retired';
export type FleetAlertKind = 'offline' | 'sos_path';

export interface FleetStationView {
  id: string;
  code: string;
  name: string;
  building: string | null;
  floor: string | null;
  address: string;
  wardId: number;
  wardName: string;
  status: FleetStatus;
  /** What is degraded, in words (e.g. "device thermometer disconnected"). */
  problems: string[];
  lastSeenAt: string | null;
  offlineSince: string | null;
  enrolled: boolean;
  heartbeat: Heartbeat | null;
}
export interface FleetEventView {
  at: string;
  kind: string;
  detail: Record<string, unknown>;
}
export interface FleetStationDetail {
  station: FleetStationView;
  timeline: FleetEventView[];
  calls: { id: string; status: string; createdAt: string; endReason: string | null }[];
  consults: { id: string; status: string; createdAt: string }[];
  /** The latest self-tests, newest first. */
  selfTests: SelfTestView[];
}

/** Staff administration. */
export const staffCreateBody = z.strictObject({
  username: z.string().regex(/^[a-z0-9._-]{3,64}$/, 'lower-case letters, digits, . _ - (3 to 64)'),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(STAFF_ROLES),
  wardIds: z.array(z.number().int().positive()).max(50).default([]),
});
export interface StaffAdminView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  wardIds: number[];
  active: boolean;
  mustChangePassword: boolean;
}
/** A new account or a password reset: the one-time password, shown once; changed at first login. */
export interface OneTimePasswordView {
  staff: StaffAdminView;
  oneTimePassword: string;
}
/** POST /api/auth/password: the forced change after a reset (or any change). */
export const passwordChangeBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  newPassword: z.string().min(12, 'at least 12 characters').max(256),
});

/** GET /api/admin/audit */
export const auditQuery = z.strictObject({
  actor: z.string().max(200).optional(),
  subject: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export interface AuditRowView {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}
