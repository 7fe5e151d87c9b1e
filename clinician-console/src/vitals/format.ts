// How vitals, flags and reasons read on screen: Vietnamese first, English alongside. The kinds,
// units and flag codes are the contracts'; only the words are the console's.
import type { ConsultReason, LatestVital, VitalFlagCode, VitalKind } from '@tram/contracts';

export const KIND_LABEL: Record<VitalKind, string> = {
  blood_pressure: 'Huyết áp / BP',
  spo2: 'SpO₂',
  heart_rate: 'Mạch / HR',
  temperature: 'Nhiệt độ / Temp',
  weight: 'Cân nặng / Weight',
  height: 'Chiều cao / Height',
  respiratory_rate: 'Nhịp thở / RR',
  bmi: 'BMI',
};

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

export const FLAG_LABEL: Record<VitalFlagCode, string> = {
  hypertensive_crisis: 'Cơn tăng huyết áp / Hypertensive crisis',
  low_spo2: 'SpO₂ thấp / Low SpO₂',
  fever: 'Sốt / Fever',
  tachycardia: 'Mạch nhanh / Tachycardia',
  bradycardia: 'Mạch chậm / Bradycardia',
};
export const flagText = (f: string) => labelOf(FLAG_LABEL, f);

export const REASON_LABEL: Record<ConsultReason, string> = {
  checkup: 'Kiểm tra sức khỏe / Check-up',
  fever: 'Sốt / Fever',
  chest_pain: 'Đau ngực / Chest pain',
  breathing: 'Khó thở / Breathing difficulty',
  dizziness: 'Chóng mặt / Dizziness',
  other: 'Khác / Other',
};
export const reasonText = (r: string) => labelOf(REASON_LABEL, r);

/** The label of a code the hub sends as a plain string; an unknown code shows as itself. */
function labelOf<K extends string>(labels: Record<K, string>, code: string): string {
  return Object.hasOwn(labels, code) ? labels[code as K] : code;
}

export const sexText = (s: string | null) => (s === 'Nữ' ? 'Nữ / F' : s === 'Nam' ? 'Nam / M' : (s ?? '—'));

/** "12 phút" style durations for waiting times. */
export function waitedText(sinceIso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1000));
  if (s < 60) return `${s} giây / s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} phút / min` : `${Math.floor(m / 60)} giờ ${m % 60} phút / h`;
}

export const timeText = (iso: string) =>
  new Date(iso).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const dateTimeText = (iso: string) => new Date(iso).toLocaleString('vi-VN', { dateStyle: 'short', timeStyle: 'short' });
