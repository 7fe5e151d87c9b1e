// A city for the SOS benchmarks: wards, stations spread over them, police officers (one password
// hashed once: scrypt at N=2^17 per officer would make seeding the benchmark's longest part).
import type { Sql } from '../../hub/src/db/client.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { hashPassword } from '../../hub/src/auth/passwords.ts';
import { insertStaffSession } from '../../hub/src/auth/store.ts';
import { digest, newSecret } from '../../hub/src/auth/tokens.ts';
import { SESSION_COOKIE } from '../../hub/src/auth/staff.ts';

export interface BenchCity {
  password: string;
  wardIds: number[];
  stations: { code: string; credential: string; wardId: number }[];
  /** Each officer with a session made directly in the database (a login per officer is scrypt at N=2^17). */
  officers: { username: string; wardId: number; cookie: string }[];
}

export async function seedBenchCity(
  sql: Sql,
  o: { wards: number; stations: number; officers: number; prefix?: string },
): Promise<BenchCity> {
  const p = o.prefix ?? '';
  const password = 'bench-password';
  const passwordHash = await hashPassword(password);
  const wardIds: number[] = [];
  for (let w = 0; w < o.wards; w++) wardIds.push(await upsertWard(sql, { code: `${p}W${w}`, name: `Phường ${w}`, city: 'TP.HCM' }));
  const stations: BenchCity['stations'] = [];
  for (let i = 0; i < o.stations; i += 100)
    stations.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, o.stations - i) }, async (_, j) => {
          const wardId = wardIds[(i + j) % o.wards]!;
          const code = `${p}st-${i + j}`;
          const s = await registerStation(sql, { code, name: `Trạm ${i + j}`, address: `${i + j} Đường Bench`, wardId });
          return { code, credential: s.credential, wardId };
        }),
      )),
    );
  const officers: BenchCity['officers'] = [];
  for (let i = 0; i < o.officers; i++) {
    const wardId = wardIds[i % o.wards]!;
    const username = `${p}officer${i}`;
    const id = await createStaff(sql, { username, displayName: `Officer ${i}`, role: 'police', passwordHash, wardIds: [wardId] });
    const token = newSecret();
    await insertStaffSession(sql, digest(token), id, 12, 3600);
    officers.push({ username, wardId, cookie: `${SESSION_COOKIE}=${token}` });
  }
  return { password, wardIds, stations, officers };
}
