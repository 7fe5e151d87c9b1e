// Seeds demo wards, a station and staff, and prints how to log in. Safe to run again:
// it re-registers the station (new credential) and resets the demo passwords — which is why it
// only ever runs into a database that `npm start` owns, or when asked.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sql } from './db/client.ts';
import { createStaff } from './auth/service.ts';
import { hashPassword } from './auth/passwords.ts';
import { replaceWardNeighbours, updateStationPlace, upsertWard } from './stations/store.ts';
import { registerStation } from './stations/service.ts';

export const DEMO_PASSWORD = 'tram-demo-2025';
export const DEMO_STATION_CODE = 'tram-dao-kim-cuong-01';
export const DEMO_STATION_NAME = 'Trạm công dân Đảo Kim Cương';

export interface Demo {
  wardId: number;
  otherWardId: number;
  station: { id: string; code: string; credential: string };
  logins: { username: string; password: string; role: string }[];
}

/**
 * What `npm start` seeds. Its own embedded database gets the demo; a DATABASE_URL may be a real
 * one, so it gets nothing demo (accounts with a published password) unless `--demo` asks for it.
 */
export function startSeed(o: { externalDatabase: boolean; demoFlag: boolean }): 'demo' | 'none' {
  return !o.externalDatabase || o.demoFlag ? 'demo' : 'none';
}

/**
 * The demo, after the first real station: "Đảo Kim Cương" in Phường Bình Trưng, TP. Hồ Chí Minh
 * (two-level government: city → ward). Its calls widen at T1 to the neighbouring wards An Khánh and
 * Cát Lái, then go to the city police command centre (113).
 */
export async function seedDemo(sql: Sql): Promise<Demo> {
  const city = 'TP. Hồ Chí Minh';
  const wardId = await upsertWard(sql, { code: 'HCM-BINH-TRUNG', name: 'Phường Bình Trưng', city });
  const otherWardId = await upsertWard(sql, { code: 'HCM-AN-KHANH', name: 'Phường An Khánh', city });
  const catLaiId = await upsertWard(sql, { code: 'HCM-CAT-LAI', name: 'Phường Cát Lái', city });
  await replaceWardNeighbours(sql, wardId, [otherWardId, catLaiId]);
  await replaceWardNeighbours(sql, otherWardId, [wardId]);
  await replaceWardNeighbours(sql, catLaiId, [wardId]);
  const st = await registerStation(sql, {
    code: DEMO_STATION_CODE,
    name: DEMO_STATION_NAME,
    address: '01 Trần Quý Kiên, Phường Bình Trưng, TP. Hồ Chí Minh',
    wardId,
  });
  await updateStationPlace(sql, st.id, { building: 'Khu căn hộ Đảo Kim Cương, tháp Maldives', lobby: 'Sảnh tầng trệt' });
  const logins = [
    { username: 'canbo.an', displayName: 'Thiếu úy Nguyễn Văn An', role: 'police' as const, wardIds: [wardId] },
    { username: 'canbo.binh', displayName: 'Trung úy Trần Thị Bình', role: 'police' as const, wardIds: [wardId] },
    { username: 'canbo.cuong', displayName: 'Đại úy Lê Văn Cường', role: 'police' as const, wardIds: [otherWardId] },
    { username: 'canbo.giang', displayName: 'Thượng úy Võ Thị Giang', role: 'police' as const, wardIds: [catLaiId] },
    { username: 'chihuy', displayName: 'Trung tá Phạm Minh Chỉ', role: 'command' as const, wardIds: [] },
    { username: 'bacsi.dung', displayName: 'BS. Hoàng Thị Dung', role: 'clinician' as const, wardIds: [] },
    { username: 'quantri', displayName: 'Quản trị viên', role: 'admin' as const, wardIds: [] },
  ];
  // One hash for the shared demo password: each costs 128 MiB and a noticeable time.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const l of logins) await createStaff(sql, { ...l, passwordHash });
  return {
    wardId,
    otherWardId,
    station: { id: st.id, code: DEMO_STATION_CODE, credential: st.credential },
    logins: logins.map((l) => ({ username: l.username, password: DEMO_PASSWORD, role: l.role })),
  };
}

/** Writes the station credential where the demo agent reads it (mode 600). */
export function writeCredential(path: string, credential: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, credential + '\n', { mode: 0o600 });
}
