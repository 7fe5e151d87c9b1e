// HTTP request bodies (zod) and the views the hub answers with.
import { z } from 'zod';
import type { LatestVital } from './vitals.ts';
import type { IdentityChecks, VerifiedCitizen } from './card.ts';

export const idempotencyKey = z
  .string({ error: 'Idempotency-Key header is required' })
  .regex(/^[A-Za-z0-9_-]{8,100}$/, 'Idempotency-Key must be 8-100 characters of A-Z a-z 0-9 _ -');

export const raiseCallBody = z.strictObject({
  kind: z.literal('sos'),
  /** optional words from the resident, e.g. a quick-pick reason on the kiosk */
  note: z.string().trim().max(500).optional(),
});

export const endCallBody = z.strictObject({
  reason: z.enum(['hangup', 'resolved', 'false_alarm', 'cancelled']).default('hangup'),
});

export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const callId = z.strictObject({ id: z.uuid() });

/** Every refusal or failure, from the hub and from the station agent. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string };
}

export type CallStatus = 'ringing' | 'answered' | 'ended';

/**
 * Escalation levels of an unanswered call: the station's ward, then (T1) the ward's neighbouring
 * wards too, then (T2) the city police command centre, with "113" on the kiosk.
 */
export const ESCALATION_LEVELS = ['ward', 'neighbours', 'command'] as const;

export interface CallView {
  id: string;
  status: CallStatus;
  escalationLevel: number;
  station: { id: string; code: string; name: string; address: string; wardId: number; ward: string; city: string };
  note: string | null;
  /** A resident had identified with their ID card at the station when SOS was pressed (who: only for the answering officer). */
  identified: boolean;
  /** The answering officer's disposition, once given. */
  outcome: CallOutcome | null;
  createdAt: string;
  answeredAt: string | null;
  answeredBy: { username: string; displayName: string } | null;
  endedAt: string | null;
  endReason: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  actor: string;
  detail: Record<string, unknown>;
}

export interface MediaGrantView {
  url: string;
  token: string;
  room: string;
  identity: string;
}

/**
 * POST /api/calls answers 201 for a new call, 200 for a retry of the same key or a press while the
 * station's call is open; `joined` says the press joined that open call (the kiosk says so).
 */
export interface RaiseCallResult {
  call: CallView;
  media: MediaGrantView | null;
  joined?: boolean;
}

export interface StaffView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  wardIds: number[];
}

const base64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** A card read submitted by a station: raw files as read from the chip. */
export const identityBody = z.strictObject({
  access: z.enum(['BAC', 'PACE']),
  sod: base64(40_000),
  dataGroups: z
    .partialRecord(z.enum(['1', '11', '12', '13', '14', '15']), base64(20_000))
    .refine((d) => d['1'] && d['13'], 'DG1 and DG13 are required'),
  activeAuth: z.strictObject({ challengeId: z.uuid(), signature: base64(2_000) }).optional(),
});

/** GET /api/station: the calling station as the kiosk shows it. */
export interface StationView {
  station: { code: string; name: string; address: string; ward: string; city: string };
}

/**
 * POST /api/station/sos-cancelled (with Idempotency-Key): the resident cancelled the SOS countdown
 * before the call went out; `remainingMs` is how much of the countdown was left. The hub counts
 * cancels per station (a re-sent report with the same key counts once) and answers the count.
 */
export const sosCancelledBody = z.strictObject({ remainingMs: z.number().int().min(0).max(60_000) });
export type SosCancelledBody = z.input<typeof sosCancelledBody>;
export interface SosCancelledView {
  /** Cancelled countdowns of this station, all time. */
  cancelled: number;
}

/** POST /api/identity/challenge: a single-use nonce for the chip's Active Authentication. */
export interface IdentityChallengeView {
  challengeId: string;
  nonce: string;
}

/** POST /api/identity (201) and GET /api/identity/session: the resident identified at the station (ID number masked). */
export interface IdentitySessionView {
  session: { id: string; openedAt: string };
  citizen: VerifiedCitizen;
  checks: IdentityChecks & { hashAlgorithm?: string; documentSigner?: string };
}

export const endSessionBody = z.strictObject({
  reason: z.enum(['card_removed', 'idle', 'finished']),
});

export const consultReason = z.enum(['checkup', 'fever', 'chest_pain', 'breathing', 'dizziness', 'other']);
export type ConsultReason = z.infer<typeof consultReason>;
export const raiseConsultBody = z.strictObject({ reason: consultReason, note: z.string().trim().max(500).optional() });
export const presenceBody = z.strictObject({ available: z.boolean() });
export const visitNoteBody = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  findings: z.string().trim().max(4000).default(''),
  advice: z.string().trim().min(1).max(4000),
  referral: z.enum(['none', 'in_person', 'emergency']),
});

/** The visit note as last saved during the call (given back to its clinician on rejoining). */
export interface SavedVisitNoteView {
  reason: string;
  findings: string;
  advice: string;
  referral: 'none' | 'in_person' | 'emergency';
  savedAt: string;
}

export type ConsultStatus = 'waiting' | 'in_call' | 'completed' | 'cancelled' | 'abandoned';
export interface ConsultSummary {
  advice: string;
  referral: 'none' | 'in_person' | 'emergency';
}

/** What the kiosk sees of its consult. */
export interface ConsultView {
  id: string;
  status: ConsultStatus;
  reason: z.infer<typeof consultReason>;
  position: number | null;
  estimatedWaitMin: number | null;
  clinician: { displayName: string; role: string } | null;
  summary: ConsultSummary | null;
  createdAt: string;
}

/** A waiting-room entry as clinicians see it. */
export interface QueueEntry {
  id: string;
  status: ConsultStatus;
  urgency: number;
  reason: string;
  note: string | null;
  patient: { id: string; name: string; age: number | null; sex: string | null };
  station: { id: string; name: string };
  waitingSince: string;
  vitals: LatestVital[];
  flags: string[];
  clinician: { username: string; displayName: string } | null;
}

/** What an emergency call escalated from a consult says while it rings (every officer it rings sees it). */
export const MEDICAL_EMERGENCY_NOTE = 'Cấp cứu y tế do bác sĩ chuyển';

/** GET /api/calls/:id/medical: the doctor's handover, for the officer who answered the call only. */
export interface MedicalHandoverView {
  callId: string;
  patient: { id: string; name: string; age: number | null; sex: string | null };
  clinician: { displayName: string } | null;
  /** Why the resident asked for the doctor (the consult's reason). */
  reason: ConsultReason | null;
  vitals: LatestVital[];
  /** Calls escalated before handovers were separate records keep their old text here. */
  text: string | null;
  createdAt: string;
}

/** GET /api/audit/mine: who read the identified resident's data, for the kiosk's "Who saw my information". */
export interface AccessLogEntry {
  at: string;
  role: string;
  name: string;
  data: 'identity' | 'vitals' | 'visit_notes' | 'medical_handover' | 'waiting_room';
  why: 'consult' | 'emergency_call' | 'break_glass' | 'waiting_room' | 'other';
  /** The break-glass reason the reader typed, when there is one. */
  reason: string | null;
}
export interface AccessLogView {
  days: number;
  entries: AccessLogEntry[];
}

/** How the answering officer closed an emergency call (the kiosk may show it to the resident). */
export const CALL_OUTCOMES = ['false_alarm', 'resolved_on_call', 'officers_dispatched', 'handed_to_115', 'handed_to_114', 'other'] as const;
export const callOutcome = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof callOutcome>;

/** PUT /api/calls/:id/disposition: required after hang-up; the same officer may edit it for 24 h. */
export const dispositionBody = z.strictObject({
  outcome: callOutcome,
  report: z.string().trim().max(4000).default(''),
});
/** How long the answering officer may still edit a disposition after first saving it. */
export const DISPOSITION_EDIT_HOURS = 24;

export interface DispositionView {
  outcome: CallOutcome;
  report: string;
  by: { username: string; displayName: string };
  at: string;
  updatedAt: string;
  /** When it stops being editable. */
  locksAt: string;
}

/** GET /api/calls/:id/card: who is calling and from where. */
export interface CallerCardView {
  call: CallView;
  station: {
    name: string;
    code: string;
    building: string | null;
    lobby: string | null;
    address: string;
    ward: string;
    city: string;
    onlineSince: string | null;
  };
  /**
   * The resident identified at the station when SOS was pressed. Only the officer who answered
   * gets the person (each read audited); anyone else who may see the call only `identified`.
   */
  resident:
    | { identified: false }
    | { identified: true; person: null }
    | {
        identified: true;
        person: {
          name: string;
          age: number | null;
          sex: string | null;
          checks: { access: 'BAC' | 'PACE'; passive: boolean; active: boolean };
        };
      };
  /** Earlier calls from this station, newest first. */
  earlier: {
    count: number;
    recent: { id: string; createdAt: string; status: CallStatus; outcome: CallOutcome | null; endReason: string | null }[];
  };
  disposition: DispositionView | null;
  timeline: TimelineEntry[];
}

/** Answer-time figures of a set of calls against NENA-STA-020 (90 % within 15 s, 95 % within 20 s). */
export interface ServiceFigures {
  /** Calls raised in the window. */
  calls: number;
  answered: number;
  within15s: number;
  within20s: number;
  /** Percent of calls raised in the window answered within 15 s / 20 s (null with no calls). */
  pct15: number | null;
  pct20: number | null;
  abandoned: number;
  calledBack: number;
  avgTalkS: number | null;
}
export const NENA_TARGETS = { within15sPct: 90, within20sPct: 95 } as const;

export interface ServiceLevelRow {
  wardId: number | null;
  ward: string;
  ringing: { id: string; station: string; since: string }[];
  shift: ServiceFigures;
  day: ServiceFigures;
}
/** GET /api/calls/service-levels: per ward the officer serves (command: every ward, and all together with wardId null). */
export interface ServiceLevelsView {
  at: string;
  shiftStart: string;
  rows: ServiceLevelRow[];
}

/** Police shifts (ca trực) start at these hours, Vietnam time (UTC+7). */
export const SHIFT_START_HOURS = [6, 14, 22] as const;
/** When the shift running at `now` started. */
export function shiftStart(now: Date): Date {
  const vn = new Date(now.getTime() + 7 * 3600_000); // Vietnam has no daylight saving
  const h = vn.getUTCHours();
  const start = [...SHIFT_START_HOURS].reverse().find((s) => s <= h);
  const d = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate(), start ?? SHIFT_START_HOURS.at(-1)!));
  if (start === undefined) d.setUTCDate(d.getUTCDate() - 1);
  return new Date(d.getTime() - 7 * 3600_000);
}

/** GET /api/calls/history: search ended and live calls; `format=csv` downloads (audited). */
export const historyQuery = z.strictObject({
  ward: z.coerce.number().int().positive().optional(),
  station: z.string().trim().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  outcome: callOutcome.optional(),
  officer: z.string().trim().min(1).max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export interface HistoryRow {
  id: string;
  createdAt: string;
  ward: string;
  station: { code: string; name: string };
  status: CallStatus;
  escalationLevel: number;
  answeredBy: string | null;
  answerS: number | null;
  talkS: number | null;
  outcome: CallOutcome | null;
  endReason: string | null;
}
export interface HistoryView {
  calls: HistoryRow[];
  /** More matched than were returned (narrow the search). */
  truncated: boolean;
}
