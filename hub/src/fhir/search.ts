// FHIR search parameters -> filters over the indexed columns (the store turns them into SQL).
// Unknown parameters are refused (400) rather than silently ignored, so a client never mistakes
// an unfiltered result for a filtered one.
import { CCCD } from './profiles.ts';
import { realDateTime } from './calendar.ts';

export class SearchError extends Error {}

export type Params = Record<string, string[]>;
export interface Tokens {
  exact: string[];
  codeOnly: string[];
}
export type DateOp = 'eq' | 'gt' | 'ge' | 'lt' | 'le';
/** A date criterion: the op against the range [lo, hi) the searched value stands for. */
export interface DateCond {
  op: DateOp;
  lo: Date;
  hi: Date;
}
export interface Page {
  count: number;
  offset: number;
}

/** Observation search criteria; each present one must hold (AND), values within one are OR. */
export interface ObservationFilter {
  patient?: string[];
  subject?: string[];
  encounter?: string[];
  ids?: string[];
  code?: Tokens;
  category?: Tokens;
  dates: DateCond[];
  /** Only these patients (the caller's care); always set by the service. */
  allowed?: string[];
}
/** Criteria on the other stored resources (Encounter, Device, ClinicalImpression). */
export interface ResourceFilter {
  ids?: string[];
  patient?: string[];
  subject?: string[];
  /** Only these patients (the caller's care); set by the service for patient-bound types. */
  allowed?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Dates without a zone mean Vietnam time (UTC+7, no daylight saving), where every station is.
const LOCAL_OFFSET = '+07:00';

export const CONTROL = ['_count', '_offset', '_sort', '_format'];

export function checkParams(q: Params, allowed: string[]) {
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k) && !CONTROL.includes(k))
      throw new SearchError(`Unsupported search parameter "${k}" (supported: ${[...allowed, '_count', '_sort'].join(', ')})`);
  }
  // the routes answer 406 before this (negotiate.ts); kept for callers outside them
  if (q._format && !q._format.every((f) => /json/.test(f))) throw new SearchError('Only JSON is supported (_format)');
}

/** A reference parameter (`patient=<id>`, `subject=Patient/<id>`), comma = OR. */
export function refIds(values: string[] | undefined, type: string, name: string): string[] | undefined {
  if (!values) return undefined;
  if (values.length > 1) throw new SearchError(`${name} may be given once (use commas for OR)`);
  return values[0]!.split(',').map((v) => {
    const id = v.startsWith(`${type}/`) ? v.slice(type.length + 1) : v;
    if (!UUID.test(id)) throw new SearchError(`${name}: "${v}" is not a ${type} id`);
    return id.toLowerCase();
  });
}

/** A token parameter: `system|code`, `code` or `|code`, comma = OR. */
export function tokens(values: string[] | undefined, name: string): Tokens | undefined {
  if (!values) return undefined;
  if (values.length > 1) throw new SearchError(`${name} may be given once (use commas for OR)`);
  const exact: string[] = [],
    codeOnly: string[] = [];
  for (const t of values[0]!.split(',')) {
    const bar = t.indexOf('|');
    const code = bar < 0 ? t : t.slice(bar + 1),
      system = bar < 0 ? '' : t.slice(0, bar);
    if (!/^[^\s|]+$/.test(code) || /\s/.test(system)) throw new SearchError(`${name}: "${t}" is not a token (system|code or code)`);
    if (system) exact.push(`${system}|${code}`);
    else codeOnly.push(code);
  }
  return { exact, codeOnly };
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The range [lo, hi) a FHIR date/dateTime search value stands for at its precision. */
export function dateRange(v: string): [Date, Date] {
  const m = DATE.exec(v);
  if (!m) throw new SearchError(`date: "${v}" is not a FHIR date or dateTime`);
  // without this, 2026-02-30 would silently mean 2 March
  if (!realDateTime(v)) throw new SearchError(`date: "${v}" is not a valid date`);
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const zone = tz ?? LOCAL_OFFSET;
  const iso = (yy: number, mm: number, dd: number, hh = 0, mn = 0, ss = 0) => {
    const base = new Date(Date.UTC(yy, mm - 1, dd, hh, mn, ss));
    const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone === 'Z' ? [0, 0] : (zone.slice(1).split(':').map(Number) as [number, number]);
    return new Date(base.getTime() - sign * (oh * 60 + om) * 60_000);
  };
  const Y = +y!;
  let lo: Date, hi: Date;
  if (!mo) {
    lo = iso(Y, 1, 1);
    hi = iso(Y + 1, 1, 1);
  } else if (!d) {
    lo = iso(Y, +mo, 1);
    hi = iso(Y, +mo + 1, 1);
  } else if (!h) {
    lo = iso(Y, +mo, +d);
    hi = iso(Y, +mo, +d + 1);
  } else if (!s) {
    lo = iso(Y, +mo, +d, +h, +mi!);
    hi = new Date(lo.getTime() + 60_000);
  } else if (!frac) {
    lo = iso(Y, +mo, +d, +h, +mi!, +s);
    hi = new Date(lo.getTime() + 1000);
  } else {
    lo = new Date(iso(Y, +mo, +d, +h, +mi!, +s).getTime() + Math.floor(Number(frac) * 1000));
    hi = new Date(lo.getTime() + 1);
  }
  if (Number.isNaN(lo.getTime()) || +mo! > 12 || +d! > 31) throw new SearchError(`date: "${v}" is not a valid date`);
  return [lo, hi];
}

/** `date=[eq|gt|ge|lt|le]<value>`, repeatable (AND). Points in time are compared with the value's range. */
export function dateConds(values: string[] | undefined): DateCond[] {
  return (values ?? []).map((raw) => {
    const m = /^(eq|ne|gt|ge|lt|le|sa|eb|ap)?(.+)$/.exec(raw)!;
    const prefix = m[1] ?? 'eq';
    const [lo, hi] = dateRange(m[2]!);
    if (!['eq', 'gt', 'ge', 'lt', 'le'].includes(prefix))
      throw new SearchError(`date: prefix "${prefix}" is not supported (eq, gt, ge, lt, le)`);
    return { op: prefix as DateOp, lo, hi };
  });
}

export function paging(q: Params, max = 200, def = 50): Page {
  const one = (k: string) => {
    const v = q[k];
    if (v && v.length > 1) throw new SearchError(`${k} may be given once`);
    return v?.[0];
  };
  const c = one('_count'),
    o = one('_offset');
  const count = c === undefined ? def : Number(c);
  const offset = o === undefined ? 0 : Number(o);
  if (!Number.isInteger(count) || count < 0 || count > max) throw new SearchError(`_count must be an integer 0..${max}`);
  if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) throw new SearchError('_offset must be an integer 0..100000');
  return { count, offset };
}

export function sortDesc(q: Params, allowed = ['date', '-date']): boolean {
  const s = q._sort;
  if (!s) return true; // newest first unless asked otherwise
  if (s.length > 1 || !allowed.includes(s[0]!)) throw new SearchError(`_sort supports ${allowed.join(', ')}`);
  return s[0]!.startsWith('-');
}

const idList = (q: Params, refusal: string): string[] | undefined => {
  const ids = q._id?.[0]?.split(',');
  if (ids?.some((i) => !UUID.test(i))) throw new SearchError(refusal);
  return ids;
};

/** The criteria of an Observation search (or $lastn), and the patients it is about (for the audit trail). */
export function observationFilter(q: Params): { filter: ObservationFilter; patients?: string[] } {
  const patient = refIds(q.patient, 'Patient', 'patient'),
    subject = refIds(q.subject, 'Patient', 'subject');
  const filter: ObservationFilter = {
    patient,
    subject,
    encounter: refIds(q.encounter, 'Encounter', 'encounter'),
    ids: idList(q, '_id: not an Observation id'),
    code: tokens(q.code, 'code'),
    category: tokens(q.category, 'category'),
    dates: dateConds(q.date),
  };
  const patients = [...(patient ?? []), ...(subject ?? [])];
  return { filter, patients: patients.length ? [...new Set(patients)] : undefined };
}

/** The criteria of an Encounter, Device or ClinicalImpression search. */
export function resourceFilter(q: Params, type: string): { filter: ResourceFilter; patients?: string[] } {
  const ids = idList(q, `_id: not a ${type} id`);
  const patient = refIds(q.patient, 'Patient', 'patient'),
    subject = refIds(q.subject, 'Patient', 'subject');
  const patients = [...(patient ?? []), ...(subject ?? [])];
  return { filter: { ids, patient, subject }, patients: patients.length ? patients : undefined };
}

/**
 * A Patient search by `_id` and/or `identifier` (CCCD number, `https://id.gov.vn/cccd|<12 digits>`),
 * commas for OR. Ids that are not citizen ids and identifiers of other systems match nobody;
 * with both parameters a patient must satisfy both.
 */
export function patientCriteria(q: Params): { ids?: string[]; idNumbers: string[]; onlyIds?: Set<string> } {
  if (!q._id && !q.identifier) throw new SearchError('Patient search requires _id or identifier');
  const rawIds = q._id?.[0]?.split(',');
  const idNumbers: string[] = [];
  for (const t of q.identifier?.[0]?.split(',') ?? []) {
    const [system, value] = t.includes('|') ? (t.split('|', 2) as [string, string]) : ['', t];
    if (system && system !== CCCD) continue;
    if (!/^\d{12}$/.test(value)) throw new SearchError(`identifier: "${value}" is not a 12-digit CCCD number`);
    idNumbers.push(value);
  }
  return {
    ids: rawIds?.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()),
    idNumbers,
    ...(rawIds && q.identifier ? { onlyIds: new Set(rawIds.map((s) => s.toLowerCase())) } : {}),
  };
}
