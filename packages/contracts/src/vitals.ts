// Vital signs as every app names them: the kinds, their UCUM units and their FHIR codes
// (R4 vital-signs profiles: LOINC; HL7 PHD IG: IEEE 11073 MDC).

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const MDC = 'urn:iso:std:iso:11073:10101';

/** Every vital kind the hub stores as an Observation (BMI is derived, not measured). */
export const VITAL_KINDS = ['weight', 'height', 'temperature', 'spo2', 'heart_rate', 'blood_pressure', 'respiratory_rate', 'bmi'] as const;
export type VitalKind = (typeof VITAL_KINDS)[number];

/** Kinds a station may send as readings. */
export const READING_KINDS = ['weight', 'height', 'temperature', 'spo2', 'heart_rate', 'blood_pressure', 'respiratory_rate'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

/** Kinds the booth's devices measure (and a clinician may ask to re-measure). */
export const BOOTH_KINDS = ['weight', 'height', 'temperature', 'spo2', 'heart_rate', 'blood_pressure'] as const;
export type BoothKind = (typeof BOOTH_KINDS)[number];

export interface Coding {
  system: string;
  code: string;
  display: string;
}

const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
const mdc = (code: string, display: string): Coding => ({ system: MDC, code, display });

export interface ComponentCodes {
  name: 'systolic' | 'diastolic' | 'mean';
  loinc: Coding;
  mdc: Coding;
  required: boolean;
}

export interface VitalCodes {
  /** Every LOINC coding the R4 profile requires (SpO₂ carries two); the first names the kind. */
  loinc: Coding[];
  mdc: Coding;
  /** The UCUM unit a station sends and screens show. */
  unit: string;
  /** Every UCUM unit the profile allows for the value (empty: the value is in components). */
  units: readonly string[];
  components?: ComponentCodes[];
}

export const VITALS: Record<VitalKind, VitalCodes> = {
  temperature: { loinc: [loinc('8310-5', 'Body temperature')], mdc: mdc('150364', 'MDC_TEMP_BODY'), unit: 'Cel', units: ['Cel', '[degF]'] },
  height: { loinc: [loinc('8302-2', 'Body height')], mdc: mdc('188740', 'MDC_LEN_BODY_ACTUAL'), unit: 'cm', units: ['cm', '[in_i]'] },
  weight: {
    loinc: [loinc('29463-7', 'Body weight')],
    mdc: mdc('188736', 'MDC_MASS_BODY_ACTUAL'),
    unit: 'kg',
    units: ['kg', '[lb_av]', 'g'],
  },
  bmi: {
    loinc: [loinc('39156-5', 'Body mass index (BMI) [Ratio]')],
    mdc: mdc('188752', 'MDC_RATIO_MASS_BODY_LEN_SQ'),
    unit: 'kg/m2',
    units: ['kg/m2'],
  },
  heart_rate: { loinc: [loinc('8867-4', 'Heart rate')], mdc: mdc('147842', 'MDC_ECG_HEART_RATE'), unit: '/min', units: ['/min'] },
  respiratory_rate: { loinc: [loinc('9279-1', 'Respiratory rate')], mdc: mdc('151562', 'MDC_RESP_RATE'), unit: '/min', units: ['/min'] },
  spo2: {
    loinc: [
      loinc('2708-6', 'Oxygen saturation in Arterial blood'),
      loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    ],
    mdc: mdc('150456', 'MDC_PULS_OXIM_SAT_O2'),
    unit: '%',
    units: ['%'],
  },
  blood_pressure: {
    loinc: [loinc('85354-9', 'Blood pressure panel with all children optional')],
    mdc: mdc('150020', 'MDC_PRESS_BLD_NONINV'),
    unit: 'mm[Hg]',
    units: [],
    components: [
      {
        name: 'systolic',
        loinc: loinc('8480-6', 'Systolic blood pressure'),
        mdc: mdc('150021', 'MDC_PRESS_BLD_NONINV_SYS'),
        required: true,
      },
      {
        name: 'diastolic',
        loinc: loinc('8462-4', 'Diastolic blood pressure'),
        mdc: mdc('150022', 'MDC_PRESS_BLD_NONINV_DIA'),
        required: true,
      },
      { name: 'mean', loinc: loinc('8478-0', 'Mean blood pressure'), mdc: mdc('150023', 'MDC_PRESS_BLD_NONINV_MEAN'), required: false },
    ],
  },
};

export const isVitalKind = (k: unknown): k is VitalKind => typeof k === 'string' && (VITAL_KINDS as readonly string[]).includes(k);
export const isBoothKind = (k: unknown): k is BoothKind => typeof k === 'string' && (BOOTH_KINDS as readonly string[]).includes(k);

/** Early-warning flags the hub computes on stored readings. */
export const VITAL_FLAGS = ['hypertensive_crisis', 'low_spo2', 'fever', 'tachycardia', 'bradycardia'] as const;
export type VitalFlagCode = (typeof VITAL_FLAGS)[number];

/** A flag as the hub sends it with an Observation: plain words for the resident in both languages. */
export interface VitalFlag {
  code: VitalFlagCode;
  kind: VitalKind;
  severity: 'urgent' | 'warning';
  message: { vi: string; en: string };
  readingId: string;
}

/** The latest value of a kind, as queue entries and escalations carry it. */
export interface LatestVital {
  kind: VitalKind;
  value?: number;
  values?: { systolic: number; diastolic: number };
  unit: string;
  at: string;
  flag?: string;
}
