// Early-warning flags and Observation.interpretation from canonical values (Cel, %, /min, mm[Hg]).
// Thresholds: fever >= 38.0 °C, SpO2 < 92 %, hypertensive crisis >= 180 systolic or >= 120
// diastolic, tachycardia > 100 /min, bradycardia < 50 /min. Messages are for the resident at the
// kiosk, so they say what to do, in Vietnamese first.
import type { ReadingKind, VitalFlag } from '@tram/contracts';

/** A flag as assessed, before it is tied to the reading that raised it. */
export type Flag = Omit<VitalFlag, 'readingId'>;
export type Interp = 'N' | 'H' | 'HH' | 'L' | 'LL';
export type Canonical = number | { systolic: number; diastolic: number; mean?: number };

const vn = (n: number, d = 1) => n.toFixed(d).replace('.', ',');

export function assess(kind: ReadingKind, v: Canonical): { interpretation?: Interp; flag?: Flag } {
  if (typeof v !== 'number') {
    const bp = `${Math.round(v.systolic)}/${Math.round(v.diastolic)}`;
    if (v.systolic >= 180 || v.diastolic >= 120)
      return {
        interpretation: 'HH',
        flag: {
          code: 'hypertensive_crisis',
          kind,
          severity: 'urgent',
          message: {
            vi: `Huyết áp ${bp} mmHg rất cao (cơn tăng huyết áp). Hãy ngồi nghỉ và gặp bác sĩ ngay; gọi 115 nếu bạn đau ngực, khó thở, yếu tay chân hoặc nhìn mờ.`,
            en: `Blood pressure ${bp} mmHg is very high (hypertensive crisis). Sit down and see a doctor now; call 115 if you have chest pain, shortness of breath, weakness or blurred vision.`,
          },
        },
      };
    return { interpretation: v.systolic >= 140 || v.diastolic >= 90 ? 'H' : 'N' };
  }
  switch (kind) {
    case 'temperature':
      if (v >= 38)
        return {
          interpretation: 'H',
          flag: {
            code: 'fever',
            kind,
            severity: 'warning',
            message: {
              vi: `Nhiệt độ ${vn(v)} °C: bạn đang sốt. Hãy nghỉ ngơi, uống đủ nước và gặp bác sĩ nếu sốt cao trên 39 °C hoặc kéo dài.`,
              en: `Temperature ${v.toFixed(1)} °C: you have a fever. Rest, drink enough water, and see a doctor if it goes above 39 °C or lasts.`,
            },
          },
        };
      return { interpretation: v < 35 ? 'L' : 'N' };
    case 'spo2':
      if (v < 92)
        return {
          interpretation: v < 88 ? 'LL' : 'L',
          flag: {
            code: 'low_spo2',
            kind,
            severity: 'urgent',
            message: {
              vi: `Nồng độ oxy trong máu (SpO₂) ${Math.round(v)} % thấp. Hãy gặp bác sĩ ngay; gọi 115 nếu bạn khó thở.`,
              en: `Blood oxygen (SpO₂) ${Math.round(v)} % is low. See a doctor now; call 115 if you are short of breath.`,
            },
          },
        };
      return { interpretation: 'N' };
    case 'heart_rate':
      if (v > 100)
        return {
          interpretation: 'H',
          flag: {
            code: 'tachycardia',
            kind,
            severity: 'warning',
            message: {
              vi: `Nhịp tim ${Math.round(v)} lần/phút nhanh hơn bình thường. Hãy ngồi nghỉ 5 phút rồi đo lại; nếu vẫn cao, hãy gặp bác sĩ.`,
              en: `Heart rate ${Math.round(v)} beats/min is faster than normal. Rest for 5 minutes and measure again; if it stays high, see a doctor.`,
            },
          },
        };
      if (v < 50)
        return {
          interpretation: 'L',
          flag: {
            code: 'bradycardia',
            kind,
            severity: 'warning',
            message: {
              vi: `Nhịp tim ${Math.round(v)} lần/phút chậm hơn bình thường. Nếu bạn thấy chóng mặt, mệt hoặc muốn ngất, hãy gặp bác sĩ ngay.`,
              en: `Heart rate ${Math.round(v)} beats/min is slower than normal. If you feel dizzy, tired or faint, see a doctor now.`,
            },
          },
        };
      return { interpretation: 'N' };
    case 'respiratory_rate':
      return { interpretation: v > 20 ? 'H' : v < 12 ? 'L' : 'N' };
    default:
      return {}; // height and weight have no normal range of their own
  }
}

export const INTERP_DISPLAY: Record<Interp, string> = { N: 'Normal', H: 'High', HH: 'Critical high', L: 'Low', LL: 'Critical low' };
