// FHIR search parameters -> SQL over the indexed columns. Unknown parameters are refused (400)
// rather than silently ignored, so a client never mistakes an unfiltered result for a filtered one.
import type { Sql } from '../db/client.ts';
import type postgres from 'postgres';

export class SearchError extends Error {}

type Params = Record<string, string[]>;
type Frag = postgres.PendingQuery<postgres.Row[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Dates without a zone mean Vietnam time (UTC+7, no daylight saving), where every station is.
const LOCAL_OFFSET = '+07:00';

export const CONTROL = ['_count', '_offset', '_sort', '_format'];

export function checkParams(q: Params, allowed: string[]) {
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k) && !CONTROL.includes(k)) throw new SearchError(`Unsupported search parameter "${k}" (supported: ${[...allowed, '_count', '_sort'].join(', ')})`);
  }
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
export function tokens(values: string[] | undefined, name: string): { exact: string[]; codeOnly: string[] } | undefined {
  if (!values) return undefined;
  if (values.length > 1) throw new SearchError(`${name} may be given once (use commas for OR)`);
  const exact: string[] = [], codeOnly: string[] = [];
  for (const t of values[0]!.split(',')) {
    const bar = t.indexOf('|');
    const code = bar < 0 ? t : t.slice(bar + 1), system = bar < 0 ? '' : t.slice(0, bar);
    if (!/^[^\s|]+$/.test(code) || /\s/.test(system)) throw new SearchError(`${name}: "${t}" is not a token (system|code or code)`);
    if (system) exact.push(`${system}|${code}`); else codeOnly.push(code);
  }
  return { exact, codeOnly };
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The range [lo, hi) a FHIR date/dateTime search value stands for at its precision. */
export function dateRange(v: string): [Date, Date] {
  const m = DATE.exec(v);
  if (!m) throw new SearchError(`date: "${v}" is not a FHIR date or dateTime`);
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const zone = tz ?? LOCAL_OFFSET;
  const iso = (yy: number, mm: number, dd: number, hh = 0, mn = 0, ss = 0) => {
    const base = new Date(Date.UTC(yy, mm - 1, dd, hh, mn, ss));
    const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone === 'Z' ? [0, 0] : zone.slice(1).split(':').map(Number) as [number, number];
    return new Date(base.getTime() - sign * (oh * 60 + om) * 60_000);
  };
  const Y = +y!;
  let lo: Date, hi: Date;
  if (!mo) { lo = iso(Y, 1, 1); hi = iso(Y + 1, 1, 1); }
  else if (!d) { lo = iso(Y, +mo, 1); hi = iso(Y, +mo + 1, 1); }
  else if (!h) { lo = iso(Y, +mo, +d); hi = iso(Y, +mo, +d + 1); }
  else if (!s) { lo = iso(Y, +mo, +d, +h, +mi!); hi = new Date(lo.getTime() + 60_000); }
  else if (!frac) { lo = iso(Y, +mo, +d, +h, +mi!, +s); hi = new Date(lo.getTime() + 1000); }
  else { lo = new Date(iso(Y, +mo, +d, +h, +mi!, +s).getTime() + Math.floor(Number(frac) * 1000)); hi = new Date(lo.getTime() + 1); }
  if (Number.isNaN(lo.getTime()) || +mo! > 12 || +d! > 31) throw new SearchError(`date: "${v}" is not a valid date`);
  return [lo, hi];
}

/** `date=[eq|gt|ge|lt|le]<value>`, repeatable (AND). Points in time against the value's range. */
export function dateConds(sql: Sql, values: string[] | undefined, column: Frag): Frag[] {
  return (values ?? []).map((raw) => {
    const m = /^(eq|ne|gt|ge|lt|le|sa|eb|ap)?(.+)$/.exec(raw)!;
    const prefix = m[1] ?? 'eq';
    const [lo, hi] = dateRange(m[2]!);
    switch (prefix) {
      case 'eq': return sql`(${column} >= ${lo} AND ${column} < ${hi})`;
      case 'gt': return sql`${column} >= ${hi}`;
      case 'ge': return sql`${column} >= ${lo}`;
      case 'lt': return sql`${column} < ${lo}`;
      case 'le': return sql`${column} < ${hi}`;
      default: throw new SearchError(`date: prefix "${prefix}" is not supported (eq, gt, ge, lt, le)`);
    }
  });
}

export function tokenCond(sql: Sql, t: { exact: string[]; codeOnly: string[] } | undefined, column: Frag): Frag | undefined {
  if (!t) return undefined;
  const parts: Frag[] = [];
  if (t.exact.length) parts.push(sql`${column} && ${t.exact}::text[]`);
  // code without a system: any system; codes never contain '|', so the suffix test is exact
  if (t.codeOnly.length) parts.push(sql`EXISTS (SELECT 1 FROM unnest(${column}) x WHERE split_part(x, '|', 2) = ANY(${t.codeOnly}::text[]))`);
  return parts.length === 1 ? parts[0] : sql`(${parts[0]!} OR ${parts[1]!})`;
}

export function paging(q: Params, max = 200, def = 50): { count: number; offset: number } {
  const one = (k: string) => { const v = q[k]; if (v && v.length > 1) throw new SearchError(`${k} may be given once`); return v?.[0]; };
  const c = one('_count'), o = one('_offset');
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

export const and = (sql: Sql, conds: (Frag | undefined)[]): Frag => {
  const cs = conds.filter((c): c is Frag => !!c);
  return cs.length ? cs.slice(1).reduce((acc, c) => sql`${acc} AND ${c}`, cs[0]!) : sql`TRUE`;
};
