// A reading as a resident reads it: "128/82 mmHg", "36,8 °C", "97 %".
import { num, t } from '../../i18n/index.ts';
import type { BoothKind } from '@tram/contracts';

const DIGITS: Record<BoothKind, number> = { blood_pressure: 0, spo2: 0, heart_rate: 0, temperature: 1, weight: 1, height: 0 };

export function formatValue(r: {
  kind: BoothKind;
  value?: number;
  values?: { systolic: number; diastolic: number };
  unit: string;
}): string {
  const unit = t().unit[r.unit] ?? r.unit;
  if (r.values) return `${Math.round(r.values.systolic)}/${Math.round(r.values.diastolic)} ${unit}`;
  return `${num(r.value ?? 0, DIGITS[r.kind])} ${unit}`;
}
