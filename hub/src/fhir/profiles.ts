// FHIR-profile facts the hub needs beyond the vital-sign codes and units (which come from
// @tram/contracts' VITALS): the R4 observation-vitalsigns child profile of each kind, the code
// systems and extensions the resources use, and the validator's quirks. @medplum/core's validator
// does not enforce required unit bindings and mis-handles the nested BP component slices, so
// those facts are checked by hand in validate.ts.
import { MDC, VITALS, type Coding, type VitalKind } from '@tram/contracts';

export const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const PHD_CATEGORY = 'http://hl7.org/fhir/uv/phd/CodeSystem/PhdObservationCategories';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const GATEWAY_EXT = 'http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice';
export const VITALSIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
export const CCCD = 'https://id.gov.vn/cccd';

const sd = (name: string) => `http://hl7.org/fhir/StructureDefinition/${name}`;

/** The canonical URL of each kind's R4 child profile (in the order the CapabilityStatement lists them). */
const PROFILE_URL: Record<VitalKind, string> = {
  temperature: sd('bodytemp'),
  height: sd('bodyheight'),
  weight: sd('bodyweight'),
  bmi: sd('bmi'),
  heart_rate: sd('heartrate'),
  respiratory_rate: sd('resprate'),
  spo2: sd('oxygensat'),
  blood_pressure: sd('bp'),
};

/** The medplum validator mis-reads these profiles' nested slices: validate against the base profile. */
const VALIDATE_AGAINST_BASE: ReadonlySet<VitalKind> = new Set(['blood_pressure']);

export interface ComponentSpec {
  loinc: Coding;
  mdc: Coding;
  units: readonly string[];
  required: boolean;
}
export interface ProfileSpec {
  kind: VitalKind;
  profile: string; // canonical URL of the R4 child profile
  loinc: Coding[]; // every LOINC coding the profile requires (SpO2 carries two)
  mdc: Coding;
  units: readonly string[]; // allowed UCUM codes for valueQuantity (empty: no top-level value)
  components?: ComponentSpec[];
  validateAgainstBase?: boolean;
}

export const PROFILES = Object.fromEntries(
  (Object.keys(PROFILE_URL) as VitalKind[]).map((kind): [VitalKind, ProfileSpec] => {
    const v = VITALS[kind];
    return [
      kind,
      {
        kind,
        profile: PROFILE_URL[kind],
        loinc: v.loinc,
        mdc: v.mdc,
        units: v.units,
        ...(v.components
          ? { components: v.components.map((c) => ({ loinc: c.loinc, mdc: c.mdc, units: [v.unit], required: c.required })) }
          : {}),
        ...(VALIDATE_AGAINST_BASE.has(kind) ? { validateAgainstBase: true } : {}),
      },
    ];
  }),
) as Record<VitalKind, ProfileSpec>;

/** The profile an Observation claims by its first LOINC code. */
export const profileByLoinc = new Map(Object.values(PROFILES).map((p) => [p.loinc[0]!.code, p]));

const mdc = (code: string, display: string): Coding => ({ system: MDC, code, display });

/** MDC device specialisations (IEEE 11073-20601 MDC_DEV_SPEC_PROFILE_*) per measured kind. */
export const DEVICE_SPECIALIZATION: Partial<Record<VitalKind, Coding>> = {
  spo2: mdc('528388', 'MDC_DEV_SPEC_PROFILE_PULS_OXIM'),
  blood_pressure: mdc('528391', 'MDC_DEV_SPEC_PROFILE_BPM'),
  temperature: mdc('528392', 'MDC_DEV_SPEC_PROFILE_TEMP'),
  weight: mdc('528399', 'MDC_DEV_SPEC_PROFILE_SCALE'),
};
