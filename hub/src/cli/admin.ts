// `npm run admin -- create-admin <username> [--display-name <name>]` (in the hub image:
// `node hub/dist/admin.js create-admin <username>`): creates an administrator in DATABASE_URL.
// The password comes from a hidden prompt, or from stdin when piped — never from the command line.
import { userInfo } from 'node:os';
import { loadConfig } from '../config.ts';
import { connectDb } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { createStaff } from '../auth/staff.ts';
import { audit } from '../auth/audit.ts';
import { parseAdminArgs, passwordProblem, USAGE } from './admin-args.ts';
import { readSecret } from './read-secret.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const parsed = parseAdminArgs(process.argv.slice(2));
if ('error' in parsed) fail(`${parsed.error}\n\n${USAGE}`);
const databaseUrl = loadConfig().databaseUrl;
if (!databaseUrl) fail('DATABASE_URL is unset: point it at the hub\'s PostgreSQL.');

const password = await readSecret(`Password for ${parsed.username}: `);
const problem = passwordProblem(password);
if (problem) fail(problem);
if (process.stdin.isTTY && (await readSecret('Again: ')) !== password) fail('The passwords differ; nothing was changed.');

const sql = connectDb(databaseUrl, 1);
try {
  await migrate(sql);
  const [taken] = await sql`SELECT 1 FROM staff WHERE username = ${parsed.username}`;
  if (taken) fail(`${parsed.username} already exists; nothing was changed.`);
  const id = await createStaff(sql, { username: parsed.username, displayName: parsed.displayName, role: 'admin', password });
  await audit(sql, { actor: `cli:${userInfo().username}`, action: 'staff.create', subject: `staff:${parsed.username}`, detail: { id, role: 'admin', via: 'admin-cli' } });
  console.log(`administrator ${parsed.username} created`);
} finally {
  await sql.end({ timeout: 5 });
}
