// Units each kind may arrive in (the vital-signs profiles' UCUM bindings), conversion to one
// canonical unit, and plausibility bounds: a value outside them is a device or parsing fault, not a
// patient state, so the reading is rejected rather than stored and flagged.
import { VITALS, type Reading, type ReadingKind } from '@tram/contracts';

const TO_CANONICAL: Record<string, (v: number) => number> = {
  Cel: (v) => v,
  '[degF]': (v) => ((v - 32) * 5) / 9,
  cm: (v) => v,
  '[in_i]': (v) => v * 2.54,
  kg: (v) => v,
  g: (v) => v / 1000,
  '[lb_av]': (v) => v * 0.45359237,
  '%': (v) => v,
  '/min': (v) => v,
  'mm[Hg]': (v) => v,
};

/** Human-readable unit shown beside the UCUM code in valueQuantity.unit. */
export const UNIT_DISPLAY: Record<string, string> = {
  Cel: '°C',
  '[degF]': '°F',
  cm: 'cm',
  '[in_i]': 'in',
  kg: 'kg',
  g: 'g',
  '[lb_av]': 'lb',
  '%': '%',
  '/min': '/min',
  'mm[Hg]': 'mmHg',
  'kg/m2': 'kg/m2',
};

const BOUNDS: Record<Exclude<ReadingKind, 'blood_pressure'>, [number, number, string]> = {
  temperature: [25, 45, 'Cel'],
  height: [30, 250, 'cm'],
  weight: [1, 350, 'kg'],
  spo2: [50, 100, '%'],
  heart_rate: [20, 250, '/min'],
  respiratory_rate: [4, 80, '/min'],
};

/** A value in one of its kind's allowed units, in the kind's canonical unit (Cel, cm, kg, %, /min, mm[Hg]). */
export const toCanonical = (unit: string, v: number): number => TO_CANONICAL[unit]!(v);

/** The UCUM units a station may send for a kind (a BP panel's components share one). */
export const allowedUnits = (kind: ReadingKind): readonly string[] =>
  VITALS[kind].units.length ? VITALS[kind].units : [VITALS[kind].unit];

export type Checked =
  | { ok: true; canonical: number | { systolic: number; diastolic: number; mean?: number } }
  | { ok: false; reason: string };

export function checkReading(r: Reading): Checked {
  const allowed = allowedUnits(r.kind);
  if (!allowed.includes(r.unit)) return { ok: false, reason: `unit_not_allowed: ${r.kind} takes ${allowed.join(' or ')}, got ${r.unit}` };
  const conv = TO_CANONICAL[r.unit]!;
  if (r.kind === 'blood_pressure') {
    const v = r.values!;
    const [s, d, m] = [conv(v.systolic), conv(v.diastolic), v.mean === undefined ? undefined : conv(v.mean)];
    if (s < 50 || s > 300) return { ok: false, reason: `implausible: systolic ${s} mm[Hg] outside 50..300` };
    if (d < 20 || d > 200) return { ok: false, reason: `implausible: diastolic ${d} mm[Hg] outside 20..200` };
    if (s <= d) return { ok: false, reason: 'implausible: systolic must be above diastolic' };
    if (m !== undefined && (m < d || m > s)) return { ok: false, reason: 'implausible: mean must lie between diastolic and systolic' };
    return { ok: true, canonical: { systolic: s, diastolic: d, ...(m === undefined ? {} : { mean: m }) } };
  }
  const [lo, hi, unit] = BOUNDS[r.kind];
  const c = conv(r.value!);
  if (c < lo || c > hi) return { ok: false, reason: `implausible: ${r.kind} ${+c.toFixed(2)} ${unit} outside ${lo}..${hi}` };
  return { ok: true, canonical: c };
}
