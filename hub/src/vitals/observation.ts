// Readings -> FHIR R4 resources: an Observation on the vital-signs profile and the HL7 PHD IG
// (device = the sensor's Device, gatewayDevice extension = the station's Device, MDC codings beside
// LOINC, identifier = the agent's reading id), plus the Device and Encounter resources it points at.
import { MDC, UCUM, VITALS, type Reading, type VitalKind } from '@tram/contracts';
import { GATEWAY_EXT, INTERPRETATION, OBS_CATEGORY, PHD_CATEGORY, PROFILES, DEVICE_SPECIALIZATION } from '../fhir/profiles.ts';
import { UNIT_DISPLAY } from './bounds.ts';
import { INTERP_DISPLAY, type Interp } from './flags.ts';
import { stableUuid } from './ids.ts';

export type Resource = Record<string, unknown> & { resourceType: string; id: string };

export const readingSystem = (stationId: string) => `urn:tram:station:${stationId}:reading`;
export const deviceSystem = (stationId: string) => `urn:tram:station:${stationId}:device`;
// A station's gateway and devices are few and named in every reading: their ids are kept, not
// hashed again per reading (two of the three hashes of each).
const deviceIds = new Map<string, string>();
const keptId = (...parts: string[]) => {
  const key = parts.join('\u0000');
  let id = deviceIds.get(key);
  if (id === undefined) {
    if (deviceIds.size >= 10_000) deviceIds.clear();
    id = stableUuid(...parts);
    deviceIds.set(key, id);
  }
  return id;
};
export const gatewayId = (stationId: string) => keptId('gateway', stationId);
export const deviceId = (stationId: string, physicalId: string) => keptId('device', stationId, physicalId);
export const observationId = (stationId: string, readingId: string) => stableUuid('observation', stationId, readingId);

const quantity = (value: number, code: string) => ({ value: +value.toFixed(3), unit: UNIT_DISPLAY[code] ?? code, system: UCUM, code });
const interp = (i: Interp) => [{ coding: [{ system: INTERPRETATION, code: i, display: INTERP_DISPLAY[i] }] }];
const vitalCategory = [
  { coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] },
  { coding: [{ system: PHD_CATEGORY, code: 'phd', display: 'PHD generated' }] },
];

// A pulse rate's MDC code names where it was measured (PHD IG nomenclature): oximeter or cuff.
const PULSE_MDC: [RegExp, { system: string; code: string; display: string }][] = [
  [/cms50|oxim|spo2/i, { system: MDC, code: '149530', display: 'MDC_PULS_OXIM_PULS_RATE' }],
  [/nibp|accutorr|bp|cuff/i, { system: MDC, code: '149546', display: 'MDC_PULS_RATE_NON_INV' }],
];

function codeOf(kind: VitalKind, protocol = '') {
  const spec = VITALS[kind];
  const mdc = kind === 'heart_rate' ? (PULSE_MDC.find(([re]) => re.test(protocol))?.[1] ?? spec.mdc) : spec.mdc;
  return { coding: [...spec.loinc, mdc], text: spec.loinc[0]!.display };
}

export interface ObsContext {
  stationId: string;
  citizenId: string;
  encounterId: string;
}

export function readingObservation(ctx: ObsContext, r: Reading, interpretation: Interp | undefined): Resource {
  const obs: Resource = {
    resourceType: 'Observation',
    id: observationId(ctx.stationId, r.id),
    meta: { profile: [PROFILES[r.kind].profile] },
    extension: [{ url: GATEWAY_EXT, valueReference: { reference: `Device/${gatewayId(ctx.stationId)}` } }],
    identifier: [{ system: readingSystem(ctx.stationId), value: r.id }],
    status: 'final',
    category: vitalCategory,
    code: codeOf(r.kind, r.device.protocol),
    subject: { reference: `Patient/${ctx.citizenId}` },
    encounter: { reference: `Encounter/${ctx.encounterId}` },
    effectiveDateTime: new Date(r.at).toISOString(),
  };
  if (r.kind === 'blood_pressure') {
    const v = r.values!;
    const [sys, dia, mean] = VITALS.blood_pressure.components!;
    obs.component = [
      { code: { coding: [sys!.loinc, sys!.mdc] }, valueQuantity: quantity(v.systolic, r.unit) },
      { code: { coding: [dia!.loinc, dia!.mdc] }, valueQuantity: quantity(v.diastolic, r.unit) },
      ...(v.mean === undefined ? [] : [{ code: { coding: [mean!.loinc, mean!.mdc] }, valueQuantity: quantity(v.mean, r.unit) }]),
    ];
  } else {
    obs.valueQuantity = quantity(r.value!, r.unit);
  }
  if (interpretation) obs.interpretation = interp(interpretation);
  obs.device = { reference: `Device/${deviceId(ctx.stationId, r.device.id)}`, display: r.device.model };
  return obs;
}

/** BMI computed on the hub from a height and a weight of the same session (kg/m2). */
export function bmiObservation(
  ctx: ObsContext,
  weight: { id: string; kg: number; at: Date },
  height: { id: string; cm: number; at: Date },
): Resource {
  const m = height.cm / 100;
  // biome-ignore lint/complexity/useMathMinMax: the later of two Dates (Math.max would give a number)
  const at = weight.at > height.at ? weight.at : height.at;
  return {
    resourceType: 'Observation',
    id: stableUuid('bmi', weight.id, height.id),
    meta: { profile: [PROFILES.bmi.profile] },
    extension: [{ url: GATEWAY_EXT, valueReference: { reference: `Device/${gatewayId(ctx.stationId)}` } }],
    identifier: [{ system: readingSystem(ctx.stationId), value: `bmi-${stableUuid('bmi', weight.id, height.id)}` }],
    status: 'final',
    category: vitalCategory,
    code: codeOf('bmi'),
    subject: { reference: `Patient/${ctx.citizenId}` },
    encounter: { reference: `Encounter/${ctx.encounterId}` },
    effectiveDateTime: at.toISOString(),
    valueQuantity: quantity(weight.kg / (m * m), 'kg/m2'),
    derivedFrom: [{ reference: `Observation/${weight.id}` }, { reference: `Observation/${height.id}` }],
  };
}

export function gatewayDevice(station: { id: string; code: string; name: string }): Resource {
  return {
    resourceType: 'Device',
    id: gatewayId(station.id),
    identifier: [{ system: 'urn:tram:station', value: station.code }],
    status: 'active',
    deviceName: [{ name: station.name, type: 'user-friendly-name' }],
    // PHD IG PhgDevice: the gateway that forwards the sensors' measurements
    type: { coding: [{ system: MDC, code: '531981', display: 'MDC_MOC_VMS_MDS_AHD' }] },
  };
}

export function sensorDevice(stationId: string, d: Reading['device'], kinds: VitalKind[]): Resource {
  const spec = kinds.map((k) => DEVICE_SPECIALIZATION[k]).find(Boolean);
  return {
    resourceType: 'Device',
    id: deviceId(stationId, d.id),
    identifier: [{ system: deviceSystem(stationId), value: d.id }],
    status: 'active',
    deviceName: [{ name: d.model, type: 'model-name' }],
    modelNumber: d.model,
    type: { coding: [{ system: MDC, code: '65573', display: 'MDC_MOC_VMS_MDS_SIMP' }] },
    ...(spec ? { specialization: [{ systemType: { coding: [spec] } }] } : {}),
    property: [{ type: { text: 'serial-protocol' }, valueCode: [{ text: d.protocol }] }],
    parent: { reference: `Device/${gatewayId(stationId)}` },
  };
}

export function sessionEncounter(
  s: { id: string; citizenId: string; openedAt: string; endedAt: string | null },
  stationName: string,
): Resource {
  return {
    resourceType: 'Encounter',
    id: s.id,
    status: s.endedAt ? 'finished' : 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ text: 'Phiên tại trạm công dân / Citizen station session' }],
    subject: { reference: `Patient/${s.citizenId}` },
    period: { start: s.openedAt, ...(s.endedAt ? { end: s.endedAt } : {}) },
    location: [{ location: { display: stationName } }],
  };
}
