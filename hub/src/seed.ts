// Seeds a demo ward, a station and staff, and prints how to log in. Safe to run again:
// it re-registers the station (new credential) and resets the demo passwords — which is why it
// only ever runs into a database that `npm start` owns, or when asked.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sql } from './db/client.ts';
import { createStaff } from './auth/service.ts';
import { hashPassword } from './auth/passwords.ts';
import { upsertWard } from './stations/store.ts';
import { registerStation } from './stations/service.ts';

export const DEMO_PASSWORD = 'tram-demo-2025';

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

export async function seedDemo(sql: Sql): Promise<Demo> {
  const wardId = await upsertWard(sql, { code: 'HCM-Q1-BEN-NGHE', name: 'Phường Bến Nghé', district: 'Quận 1', city: 'TP. Hồ Chí Minh' });
  const otherWardId = await upsertWard(sql, { code: 'HCM-Q1-DA-KAO', name: 'Phường Đa Kao', district: 'Quận 1', city: 'TP. Hồ Chí Minh' });
  const st = await registerStation(sql, {
    code: 'tram-ben-nghe-01',
    name: 'Trạm công dân Chung cư Bến Nghé',
    address: '12 Tôn Đức Thắng, Phường Bến Nghé, Quận 1',
    wardId,
  });
  const logins = [
    { username: 'canbo.an', displayName: 'Thiếu úy Nguyễn Văn An', role: 'police' as const, wardIds: [wardId] },
    { username: 'canbo.binh', displayName: 'Trung úy Trần Thị Bình', role: 'police' as const, wardIds: [wardId] },
    { username: 'canbo.cuong', displayName: 'Đại úy Lê Văn Cường', role: 'police' as const, wardIds: [otherWardId] },
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
    station: { id: st.id, code: 'tram-ben-nghe-01', credential: st.credential },
    logins: logins.map((l) => ({ username: l.username, password: DEMO_PASSWORD, role: l.role })),
  };
}

/** Writes the station credential where the demo agent reads it (mode 600). */
export function writeCredential(path: string, credential: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, credential + '\n', { mode: 0o600 });
}
