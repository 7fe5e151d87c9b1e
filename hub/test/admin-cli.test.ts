// The first administrator of a real deployment: `npm run admin -- create-admin <username>` with the
// password piped on stdin, against a brand-new database; then that account signs in to the hub.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { emptyDatabase } from './support/empty-database.ts';
import { repoRoot, startTestHub, login } from './support/env.ts';
import { deferrer } from '@tram/testing/teardown.ts';

function admin(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'hub/src/cli/admin.ts'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

test('create-admin reads a piped password, creates an audited admin who can sign in, and refuses the rest; then a ward and an officer', async (t) => {
  const defer = deferrer(t);
  const db = await emptyDatabase();
  defer(() => db.drop());
  const env = { DATABASE_URL: db.url };
  const password = 'correct horse battery staple';

  const made = await admin(['create-admin', 'alice', '--display-name', 'Alice Nguyễn'], env, `${password}\n`);
  assert.equal(made.code, 0, made.out);
  assert.match(made.out, /administrator alice created/);
  assert.doesNotMatch(made.out, /battery/);
  const [row] = await db.sql`SELECT role, display_name FROM staff WHERE username = 'alice'`;
  assert.deepEqual({ ...row }, { role: 'admin', display_name: 'Alice Nguyễn' });
  const [entry] = await db.sql`SELECT actor, action, subject FROM audit_log WHERE action = 'staff.create'`;
  assert.equal(entry!.subject, 'staff:alice');
  assert.match(entry!.actor, /^cli:/);

  const hub = await startTestHub(db.url);
  defer(() => hub.stop());
  assert.ok(await login(hub.url, 'alice', password));

  // an existing account is not silently reset
  const again = await admin(['create-admin', 'alice'], env, 'another long password\n');
  assert.equal(again.code, 1);
  assert.match(again.out, /already exists/);
  assert.ok(await login(hub.url, 'alice', password));

  // a password on the command line is refused before anything is read or written
  const argv = await admin(['create-admin', 'bob', '--password', 'hunter2hunter2hunter2'], env, '');
  assert.equal(argv.code, 1);
  assert.match(argv.out, /never taken on the command line/);
  assert.doesNotMatch(argv.out, /hunter2/);

  // too short, or nothing piped
  assert.equal((await admin(['create-admin', 'bob'], env, 'short\n')).code, 1);
  assert.equal((await admin(['create-admin', 'bob'], env, '')).code, 1);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM staff`)[0]!.n, 1);

  // then the ward and its first officer, who signs in and sees that ward
  const ward = await admin(['add-ward', 'HCM-VO-THI-SAU', '--name', 'Phường Võ Thị Sáu', '--city', 'TP. Hồ Chí Minh'], env, '');
  assert.equal(ward.code, 0, ward.out);
  const next = await admin(
    ['add-ward', 'HCM-BAN-CO', '--name', 'Phường Bàn Cờ', '--city', 'TP. Hồ Chí Minh', '--neighbour', 'HCM-VO-THI-SAU'],
    env,
    '',
  );
  assert.equal(next.code, 0, next.out);
  // and which wards are rung next for it (T1): replaces the list
  const nb = await admin(['set-neighbours', 'HCM-VO-THI-SAU', '--neighbour', 'HCM-BAN-CO'], env, '');
  assert.equal(nb.code, 0, nb.out);
  const neighbours = await db.sql`
    SELECT n.code FROM ward_neighbours wn JOIN wards w ON w.id = wn.ward_id JOIN wards n ON n.id = wn.neighbour_id
    WHERE w.code = 'HCM-VO-THI-SAU' ORDER BY n.code`;
  assert.deepEqual(
    neighbours.map((r) => r.code),
    ['HCM-BAN-CO'],
  );
  assert.equal((await admin(['set-neighbours', 'HCM-VO-THI-SAU', '--neighbour', 'HCM-NOWHERE'], env, '')).code, 1);
  const officer = await admin(
    ['create-staff', 'canbo.hoa', '--role', 'police', '--ward', 'HCM-VO-THI-SAU'],
    env,
    'officer password 2026\n',
  );
  assert.equal(officer.code, 0, officer.out);
  const cookie = await login(hub.url, 'canbo.hoa', 'officer password 2026');
  const { staff: me } = (await (await fetch(`${hub.url}/api/auth/me`, { headers: { cookie } })).json()) as {
    staff: { role: string; wardIds: number[] };
  };
  const [w] = await db.sql`SELECT id FROM wards WHERE code = 'HCM-VO-THI-SAU'`;
  assert.equal(me.role, 'police');
  assert.deepEqual(me.wardIds, [w!.id]);
});
