// How vitals, flags and reasons read on screen, in the console's language (../i18n.ts). The kinds,
// units and flag codes are the contracts'; only the words are the console's.
import type { ConsultReason, LatestVital, VitalFlagCode, VitalKind } from '@tram/contracts';
import { hasKey, t } from '../i18n.ts';

/** A vital kind in words, in the screen language. */
export const kindText = (k: VitalKind) => t(`k_${k}`);

/** Display order: the signs a doctor reads first come first. */
export const KIND_ORDER: readonly VitalKind[] = [
  'blood_pressure',
  'spo2',
  'heart_rate',
  'temperature',
  'respiratory_rate',
  'weight',
  'height',
  'bmi',
];

/** Screen text of the UCUM units the hub stores (VITALS[kind].unit). */
export const UNIT_TEXT: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '/min': '/ph',
  '%': '%',
  kg: 'kg',
  cm: 'cm',
  'kg/m2': 'kg/m²',
};
export const unitText = (u: string) => UNIT_TEXT[u] ?? u;

export function valueText(v: Pick<LatestVital, 'value' | 'values'>): string {
  if (v.values) return `${v.values.systolic}/${v.values.diastolic}`;
  return v.value === undefined ? '—' : String(Math.round(v.value * 10) / 10);
}

export const flagText = (f: VitalFlagCode | string) => labelOf('f_', f);
export const reasonText = (r: ConsultReason | string) => labelOf('r_', r);

/** The words of a code the hub sends as a plain string; an unknown code shows as itself. */
function labelOf(prefix: 'f_' | 'r_', code: string): string {
  const k = `${prefix}${code}`;
  return hasKey(k) ? t(k) : code;
}

export const sexText = (s: string | null) => (s === 'Nữ' ? t('sexF') : s === 'Nam' ? t('sexM') : (s ?? '—'));

/** "12 phút" style durations for waiting times. */
export function waitedText(sinceIso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1000));
  if (s < 60) return t('seconds', { s });
  const m = Math.floor(s / 60);
  return m < 60 ? t('minutes', { m }) : t('hours', { h: Math.floor(m / 60), m: m % 60 });
}

export const timeText = (iso: string) =>
  new Date(iso).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
export const dateTimeText = (iso: string) =>
  new Date(iso).toLocaleString('vi-VN', { dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' });

/**
 * Clinical display ranges for the charts (axis) and the normal band shaded on them; a value outside
 * the normal band reads "↑ cao" or "↓ thấp" in words as well as colour (WCAG 1.4.1).
 * Adult resting values; BP is judged on both systolic and diastolic.
 */
export const CLINICAL: Partial<Record<VitalKind, { axis: [number, number]; normal: [number, number]; normalDia?: [number, number] }>> = {
  spo2: { axis: [80, 100], normal: [95, 100] },
  temperature: { axis: [34, 42], normal: [36.1, 37.5] },
  heart_rate: { axis: [40, 160], normal: [60, 100] },
  respiratory_rate: { axis: [5, 40], normal: [12, 20] },
  blood_pressure: { axis: [40, 220], normal: [90, 139], normalDia: [60, 89] },
};

export type Abnormal = 'high' | 'low' | null;
/** Whether a value lies outside its normal band (null when in range or not judged). */
export function abnormal(kind: VitalKind, v: Pick<LatestVital, 'value' | 'values'>): Abnormal {
  const c = CLINICAL[kind];
  if (!c) return null;
  if (v.values) {
    const dia = c.normalDia ?? c.normal;
    if (v.values.systolic > c.normal[1] || v.values.diastolic > dia[1]) return 'high';
    if (v.values.systolic < c.normal[0] || v.values.diastolic < dia[0]) return 'low';
    return null;
  }
  if (v.value === undefined) return null;
  return v.value > c.normal[1] ? 'high' : v.value < c.normal[0] ? 'low' : null;
}
export const abnormalText = (a: 'high' | 'low') => t(a);

/** 24-hour clock time (HH:MM), whatever the browser's locale. */
export const clock24 = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};
