// Shared by the vitals and FHIR tests: a citizen with an open session at the demo station, and
// readings as the station agent sends them.
import { randomUUID } from 'node:crypto';
import { startBus } from '../src/db/bus.ts';
import type { Sql } from '../src/db/client.ts';
import { VITALS, type ReadingKind } from '@tram/contracts';
import { upsertCitizen } from '../src/identity/store.ts';
import { openSession } from '../src/identity/service.ts';

export async function citizenSession({ sql, url }: { sql: Sql; url: string }, stationId: string, idNumber = '079160001234') {
  const bus = await startBus(url, () => {});
  const citizenId = await upsertCitizen(sql, { idNumber, fullName: 'Nguyễn Thị Mai', dateOfBirth: '12/03/1960', sex: 'Nữ' });
  const session = await sql.begin((tx) => openSession(tx, bus, stationId, citizenId, { passiveAuthentication: 'passed' }));
  await bus.close();
  return { citizenId, sessionId: session.id, openedAt: session.openedAt };
}

const devices = {
  scale: { id: 'scale-mt-0001', model: 'Mettler Toledo ICS425', protocol: 'MT-SICS' },
  oximeter: { id: 'oxi-cms50d-0001', model: 'Contec CMS50D+', protocol: 'cms50d-v7' },
  cuff: { id: 'nibp-2020-0001', model: 'Medlab NIBP2020', protocol: 'medlab-nibp' },
  thermo: { id: 'thermo-gy906-0001', model: 'GY-MCU90614', protocol: 'gy-mcu906' },
  height: { id: 'height-a02-0001', model: 'DYP A02YYUW', protocol: 'dyp-a02' },
};

export type Kind = ReadingKind;
export function reading(
  kind: Kind,
  v: number | { systolic: number; diastolic: number; mean?: number },
  at = new Date(),
  extra: Record<string, unknown> = {},
) {
  const unit = VITALS[kind].unit;
  const device = {
    weight: devices.scale,
    height: devices.height,
    temperature: devices.thermo,
    spo2: devices.oximeter,
    heart_rate: devices.oximeter,
    blood_pressure: devices.cuff,
    respiratory_rate: devices.oximeter,
  }[kind];
  return {
    id: randomUUID(),
    kind,
    ...(typeof v === 'number' ? { value: v } : { values: v }),
    unit,
    at: at.toISOString(),
    device,
    ...extra,
  };
}

/** One of every kind, all in the normal range. */
export const normalSet = (at = new Date()) => [
  reading('weight', 62.4, at),
  reading('height', 158, at),
  reading('temperature', 36.7, at),
  reading('spo2', 97, at),
  reading('heart_rate', 72, at),
  reading('blood_pressure', { systolic: 122, diastolic: 78, mean: 93 }, at),
  reading('respiratory_rate', 16, at),
];

export function postReadings(hubUrl: string, credential: string, body: unknown) {
  return fetch(`${hubUrl}/api/vitals/readings`, {
    method: 'POST',
    headers: { authorization: `Station ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
