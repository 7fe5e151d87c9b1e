// What the police console needs beyond ringing and answering: the caller card (the resident only
// for the officer who answered, audited), the disposition after hang-up (editable 24 h, audited),
// service levels against NENA-STA-020, and the call history with its audited CSV export.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import {
  DISPOSITION_EDIT_HOURS,
  participant,
  shiftStart,
  subject,
  type CallerCardView,
  type DispositionView,
  type HistoryRow,
  type HistoryView,
  type ServiceLevelsView,
  type ServiceFigures,
  type CallOutcome,
} from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { ageOf } from '../consults/triage.ts';
import { callById, timeline, toView, type CallRow } from './store.ts';
import { canHandle } from './audience.ts';
import {
  earlierCalls,
  ringingCalls,
  searchCalls,
  serviceFigures,
  sessionCitizen,
  stationPlace,
  wardNames,
  writeDisposition,
  type HistoryDbRow,
} from './police-store.ts';

const mayView = (s: Staff, c: CallRow) => canHandle(s, c) || c.answered_by === s.id;

function dispositionOf(c: CallRow): DispositionView | null {
  if (!c.outcome || !c.disposed_at) return null;
  return {
    outcome: c.outcome,
    report: c.report ?? '',
    by: { username: c.answerer_username ?? '', displayName: c.answerer_name ?? c.answerer_username ?? '' },
    at: c.disposed_at.toISOString(),
    updatedAt: (c.disposition_updated_at ?? c.disposed_at).toISOString(),
    locksAt: new Date(c.disposed_at.getTime() + DISPOSITION_EDIT_HOURS * 3600_000).toISOString(),
  };
}

export async function callerCard(d: HubDeps, id: string, officer: Staff): Promise<Outcome<CallerCardView>> {
  const c = await callById(d.sql, id);
  if (!c || !mayView(officer, c)) return fail(404, 'not_found', 'No such call');
  const place = await stationPlace(d.sql, c.station_id);
  let resident: CallerCardView['resident'] = { identified: false };
  if (c.citizen_session_id) {
    resident = { identified: true, person: null };
    // Who the resident is goes only to the officer who answered; every read is audited.
    if (c.answered_by === officer.id) {
      const r = await sessionCitizen(d.sql, c.citizen_session_id);
      if (r) {
        await insertAudit(d.sql, {
          actor: participant.staff(officer.username),
          action: 'call.resident.read',
          subject: subject.citizen(r.citizen_id),
          detail: { call: c.id, patients: [r.citizen_id] },
        });
        resident = {
          identified: true,
          person: {
            // an erased citizen (Decree 13) keeps only a pseudonymous id
            name: r.full_name ?? '—',
            age: ageOf(r.date_of_birth),
            sex: r.sex,
            checks: {
              access: r.checks.access,
              passive: r.checks.passiveAuthentication === 'passed',
              active: r.checks.activeAuthentication === 'passed',
            },
          },
        };
      }
    }
  }
  const earlier = await earlierCalls(d.sql, c.station_id, c.created_at);
  return ok({
    call: toView(c),
    station: {
      name: c.station_name,
      code: c.station_code,
      building: place?.building ?? null,
      lobby: place?.lobby ?? null,
      address: c.station_address,
      ward: c.ward_name,
      city: c.city,
      onlineSince: place?.online_since?.toISOString() ?? null,
    },
    resident,
    earlier: {
      count: earlier.count,
      recent: earlier.recent.map((e) => ({
        id: e.id,
        createdAt: e.created_at.toISOString(),
        status: e.status,
        outcome: e.outcome,
        endReason: e.end_reason,
      })),
    },
    disposition: dispositionOf(c),
    timeline: await timeline(d.sql, c.id),
  });
}

export async function disposeCall(
  d: HubDeps,
  id: string,
  officer: Staff,
  body: { outcome: CallOutcome; report: string },
): Promise<Outcome<DispositionView>> {
  const saved = await d.sql.begin(async (tx) => {
    const r = await writeDisposition(tx, id, officer.id, body, DISPOSITION_EDIT_HOURS);
    if (!r) return null;
    await insertAudit(tx, {
      actor: participant.staff(officer.username),
      action: r.first ? 'call.disposition.set' : 'call.disposition.edit',
      subject: subject.call(id),
      detail: r.first ? { outcome: body.outcome } : { outcome: body.outcome, before: { outcome: r.old_outcome, report: r.old_report } },
    });
    return r;
  });
  const c = await callById(d.sql, id);
  if (!c || !mayView(officer, c)) return fail(404, 'not_found', 'No such call');
  if (saved) return ok(dispositionOf(c)!);
  // Nothing changed: say why.
  if (c.answered_by !== officer.id) return fail(403, 'forbidden', 'Only the officer who answered this call writes its disposition');
  if (c.status !== 'ended') return fail(409, 'call_not_ended', 'Hang up first, then record the outcome');
  return fail(409, 'disposition_locked', `The disposition is locked ${DISPOSITION_EDIT_HOURS} h after it was first saved`);
}

/** The wards whose figures a staff member sees: police their own, command every ward (null). */
const wardsOf = (s: Staff): number[] | null => (s.role === 'command' ? null : s.wardIds);

export async function serviceLevels(d: HubDeps, s: Staff, now = new Date()): Promise<ServiceLevelsView> {
  const wardIds = wardsOf(s);
  const since = shiftStart(now);
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const total = s.role === 'command';
  const [names, ringing, figures] = await Promise.all([
    wardNames(d.sql, wardIds),
    ringingCalls(d.sql, wardIds),
    serviceFigures(d.sql, { shift: since, day: dayAgo }, wardIds, total),
  ]);
  const none: ServiceFigures = {
    calls: 0,
    answered: 0,
    within15s: 0,
    within20s: 0,
    pct15: null,
    pct20: null,
    abandoned: 0,
    calledBack: 0,
    avgTalkS: null,
  };
  const pick = (w: number | null, k: 'shift' | 'day') => figures.find((x) => x.wardId === w)?.[k] ?? none;
  const rows: ServiceLevelsView['rows'] = names.map((w) => ({
    wardId: w.id,
    ward: w.name,
    ringing: ringing
      .filter((r) => r.ward_id === w.id)
      .map((r) => ({ id: r.id, station: r.station_name, since: r.created_at.toISOString() })),
    shift: pick(w.id, 'shift'),
    day: pick(w.id, 'day'),
  }));
  if (total) {
    rows.unshift({
      wardId: null,
      ward: 'Toàn thành phố / Whole city',
      ringing: ringing.map((r) => ({ id: r.id, station: r.station_name, since: r.created_at.toISOString() })),
      shift: pick(null, 'shift'),
      day: pick(null, 'day'),
    });
  }
  return { at: now.toISOString(), shiftStart: since.toISOString(), rows };
}

export const HISTORY_LIMIT = 2000;

const toHistory = (r: HistoryDbRow): HistoryRow => ({
  id: r.id,
  createdAt: r.created_at.toISOString(),
  ward: r.ward_name,
  station: { code: r.station_code, name: r.station_name },
  status: r.status,
  escalationLevel: r.escalation_level,
  answeredBy: r.answerer,
  answerS: r.answer_s === null ? null : Math.round(r.answer_s * 10) / 10,
  talkS: r.talk_s === null ? null : Math.round(r.talk_s),
  outcome: r.outcome,
  endReason: r.end_reason,
});

export interface HistorySearch {
  ward?: number | undefined;
  station?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  outcome?: CallOutcome | undefined;
  officer?: string | undefined;
}

export async function callHistory(d: HubDeps, s: Staff, q: HistorySearch): Promise<HistoryView> {
  const rows = await searchCalls(
    d.sql,
    {
      ...(q.ward !== undefined ? { wardId: q.ward } : {}),
      ...(q.station ? { station: q.station } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.officer ? { officer: q.officer } : {}),
    },
    s.role === 'command' ? null : { wardIds: s.wardIds, officerId: s.id },
    HISTORY_LIMIT + 1,
  );
  return { calls: rows.slice(0, HISTORY_LIMIT).map(toHistory), truncated: rows.length > HISTORY_LIMIT };
}

const CSV_COLUMNS = [
  'id',
  'created_at',
  'ward',
  'station_code',
  'station',
  'status',
  'level',
  'answered_by',
  'answer_s',
  'talk_s',
  'outcome',
  'end_reason',
];
const cell = (v: unknown) => {
  const t = v === null || v === undefined ? '' : String(v);
  // quote every text cell; a leading = + - @ would be run as a formula by spreadsheet programs
  return /^[=+\-@]/.test(t) ? `"'${t.replaceAll('"', '""')}"` : `"${t.replaceAll('"', '""')}"`;
};

/** The search as CSV (UTF-8 with BOM, so spreadsheet programs read the Vietnamese); every export audited. */
export async function exportHistory(d: HubDeps, s: Staff, q: HistorySearch): Promise<string> {
  const h = await callHistory(d, s, q);
  await insertAudit(d.sql, {
    actor: participant.staff(s.username),
    action: 'call.history.export',
    subject: participant.staff(s.username),
    detail: { filters: { ...q }, rows: h.calls.length, truncated: h.truncated },
  });
  const lines = h.calls.map((c) =>
    [
      c.id,
      c.createdAt,
      c.ward,
      c.station.code,
      c.station.name,
      c.status,
      c.escalationLevel,
      c.answeredBy,
      c.answerS,
      c.talkS,
      c.outcome,
      c.endReason,
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${CSV_COLUMNS.join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}
