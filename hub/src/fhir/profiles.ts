// The vital-signs profile table (FHIR R4 4.0.1 observation-vitalsigns + HL7 PHD IG MDC codes).
// @medplum/core's validator does not enforce required unit bindings and mis-handles the nested BP
// component slices, so these facts are checked by hand in validate.ts.
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const MDC = 'urn:iso:std:iso:11073:10101';
export const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const PHD_CATEGORY = 'http://hl7.org/fhir/uv/phd/CodeSystem/PhdObservationCategories';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const GATEWAY_EXT = 'http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice';
export const VITALSIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
export const CCCD = 'https://id.gov.vn/cccd';

export type VitalKind = 'weight' | 'height' | 'temperature' | 'spo2' | 'heart_rate' | 'blood_pressure' | 'respiratory_rate' | 'bmi';

export interface Coding { system: string; code: string; display: string }
export interface ComponentSpec { loinc: Coding; mdc: Coding; units: readonly string[]; required: boolean }
export interface ProfileSpec {
  kind: VitalKind;
  profile: string;            // canonical URL of the R4 child profile
  loinc: Coding[];            // every LOINC coding the profile requires (SpO2 carries two)
  mdc?: Coding;
  units: readonly string[];   // allowed UCUM codes for valueQuantity (empty: no top-level value)
  components?: ComponentSpec[];
  /** The medplum validator mis-reads this profile's nested slices: validate against the base profile. */
  validateAgainstBase?: boolean;
}

const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
const mdc = (code: string, display: string): Coding => ({ system: MDC, code, display });
const sd = (name: string) => `http://hl7.org/fhir/StructureDefinition/${name}`;

export const PROFILES: Record<VitalKind, ProfileSpec> = {
  temperature: { kind: 'temperature', profile: sd('bodytemp'), loinc: [loinc('8310-5', 'Body temperature')], mdc: mdc('150364', 'MDC_TEMP_BODY'), units: ['Cel', '[degF]'] },
  height: { kind: 'height', profile: sd('bodyheight'), loinc: [loinc('8302-2', 'Body height')], mdc: mdc('188740', 'MDC_LEN_BODY_ACTUAL'), units: ['cm', '[in_i]'] },
  weight: { kind: 'weight', profile: sd('bodyweight'), loinc: [loinc('29463-7', 'Body weight')], mdc: mdc('188736', 'MDC_MASS_BODY_ACTUAL'), units: ['kg', '[lb_av]', 'g'] },
  bmi: { kind: 'bmi', profile: sd('bmi'), loinc: [loinc('39156-5', 'Body mass index (BMI) [Ratio]')], mdc: mdc('188752', 'MDC_RATIO_MASS_BODY_LEN_SQ'), units: ['kg/m2'] },
  heart_rate: { kind: 'heart_rate', profile: sd('heartrate'), loinc: [loinc('8867-4', 'Heart rate')], mdc: mdc('147842', 'MDC_ECG_HEART_RATE'), units: ['/min'] },
  respiratory_rate: { kind: 'respiratory_rate', profile: sd('resprate'), loinc: [loinc('9279-1', 'Respiratory rate')], mdc: mdc('151562', 'MDC_RESP_RATE'), units: ['/min'] },
  spo2: {
    kind: 'spo2', profile: sd('oxygensat'),
    loinc: [loinc('2708-6', 'Oxygen saturation in Arterial blood'), loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry')],
    mdc: mdc('150456', 'MDC_PULS_OXIM_SAT_O2'), units: ['%'],
  },
  blood_pressure: {
    kind: 'blood_pressure', profile: sd('bp'), loinc: [loinc('85354-9', 'Blood pressure panel with all children optional')],
    mdc: mdc('150020', 'MDC_PRESS_BLD_NONINV'), units: [], validateAgainstBase: true,
    components: [
      { loinc: loinc('8480-6', 'Systolic blood pressure'), mdc: mdc('150021', 'MDC_PRESS_BLD_NONINV_SYS'), units: ['mm[Hg]'], required: true },
      { loinc: loinc('8462-4', 'Diastolic blood pressure'), mdc: mdc('150022', 'MDC_PRESS_BLD_NONINV_DIA'), units: ['mm[Hg]'], required: true },
      { loinc: loinc('8478-0', 'Mean blood pressure'), mdc: mdc('150023', 'MDC_PRESS_BLD_NONINV_MEAN'), units: ['mm[Hg]'], required: false },
    ],
  },
};

/** The profile an Observation claims by its first LOINC code. */
export const profileByLoinc = new Map(Object.values(PROFILES).map((p) => [p.loinc[0]!.code, p]));

/** MDC device specialisations (IEEE 11073-20601 MDC_DEV_SPEC_PROFILE_*) per measured kind. */
export const DEVICE_SPECIALIZATION: Partial<Record<VitalKind, Coding>> = {
  spo2: mdc('528388', 'MDC_DEV_SPEC_PROFILE_PULS_OXIM'),
  blood_pressure: mdc('528391', 'MDC_DEV_SPEC_PROFILE_BPM'),
  temperature: mdc('528392', 'MDC_DEV_SPEC_PROFILE_TEMP'),
  weight: mdc('528399', 'MDC_DEV_SPEC_PROFILE_SCALE'),
};
