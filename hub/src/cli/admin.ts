// `npm run admin -- <command>` (in the hub image: `node hub/dist/admin.js <command>`): the first
// administrator, staff accounts and wards, straight into DATABASE_URL. Passwords come from a
// hidden prompt, or from stdin when piped — never from the command line. Every change is audited.
import { userInfo } from 'node:os';
import { loadConfig } from '../config.ts';
import { connectDb } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { createStaff } from '../auth/service.ts';
import { insertAudit } from '../audit/store.ts';
import { replaceWardNeighbours, upsertWard, wardsByCode } from '../stations/store.ts';
import { staffUsernameTaken } from '../auth/store.ts';
import { parseAdminArgs, passwordProblem, USAGE } from './admin-args.ts';
import { readSecret } from './read-secret.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const cmd = parseAdminArgs(process.argv.slice(2));
if ('error' in cmd) fail(`${cmd.error}\n\n${USAGE}`);
const databaseUrl = loadConfig().databaseUrl;
if (!databaseUrl) fail("DATABASE_URL is unset: point it at the hub's PostgreSQL.");
const actor = `cli:${userInfo().username}`;

const ask = (prompt: string) => readSecret(prompt).catch(() => fail('Cancelled; nothing was changed.'));
let password = '';
if (cmd.command === 'create-staff') {
  password = await ask(`Password for ${cmd.username}: `);
  const problem = passwordProblem(password);
  if (problem) fail(problem);
  if (process.stdin.isTTY && (await ask('Again: ')) !== password) fail('The passwords differ; nothing was changed.');
}

const sql = connectDb(databaseUrl, 1);
try {
  await migrate(sql);
  if (cmd.command === 'add-ward' || cmd.command === 'set-neighbours') {
    const neighbours = await wardsByCode(sql, cmd.neighbours);
    const unknown = cmd.neighbours.filter((c) => !neighbours.some((w) => w.code === c));
    if (unknown.length) fail(`unknown ward(s): ${unknown.join(', ')} (add-ward first); nothing was changed.`);
    const [self] = await wardsByCode(sql, [cmd.code]);
    if (cmd.command === 'set-neighbours' && !self) fail(`unknown ward: ${cmd.code} (add-ward first); nothing was changed.`);
    const id = await sql.begin(async (tx) => {
      const wardId = cmd.command === 'add-ward' ? await upsertWard(tx, cmd) : self!.id;
      // add-ward without --neighbour keeps the ward's existing neighbours
      if (cmd.neighbours.length)
        await replaceWardNeighbours(
          tx,
          wardId,
          neighbours.map((w) => w.id),
        );
      await insertAudit(tx, {
        actor,
        action: cmd.command === 'add-ward' ? 'ward.upsert' : 'ward.neighbours',
        subject: `ward:${cmd.code}`,
        detail: { id: wardId, neighbours: cmd.neighbours },
      });
      return wardId;
    });
    console.log(
      cmd.command === 'add-ward'
        ? `ward ${cmd.code} is id ${id} (use it as wardId in POST /api/admin/stations)`
        : `ward ${cmd.code}: unanswered calls widen at T1 to ${cmd.neighbours.join(', ')}`,
    );
  } else {
    if (await staffUsernameTaken(sql, cmd.username)) fail(`${cmd.username} already exists; nothing was changed.`);
    const wards = await wardsByCode(sql, cmd.wards);
    const unknown = cmd.wards.filter((c) => !wards.some((w) => w.code === c));
    if (unknown.length) fail(`unknown ward(s): ${unknown.join(', ')} (add-ward first); nothing was changed.`);
    const id = await createStaff(sql, {
      username: cmd.username,
      displayName: cmd.displayName,
      role: cmd.role,
      password,
      wardIds: wards.map((w) => w.id),
    });
    await insertAudit(sql, {
      actor,
      action: 'staff.create',
      subject: `staff:${cmd.username}`,
      detail: { id, role: cmd.role, wards: cmd.wards, via: 'admin-cli' },
    });
    console.log(`${cmd.role === 'admin' ? 'administrator' : cmd.role} ${cmd.username} created`);
  }
} finally {
  await sql.end({ timeout: 5 });
}
