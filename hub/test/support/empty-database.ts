// A new database with nothing in it, not even the migrations: what an operator's brand-new
// PostgreSQL looks like to `npm start` or the admin CLI. Dropped by `drop()`.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export async function emptyDatabase(): Promise<{ url: string; sql: postgres.Sql; drop(): Promise<void> }> {
  const serverUrl = process.env.TRAM_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TRAM_TEST_DATABASE_URL is unset: run tests through `npx tsx scripts/test.ts`');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `tram_e_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const sql = postgres(u.toString(), { max: 2, onnotice: () => {} });
  return {
    url: u.toString(),
    sql,
    async drop() {
      await sql.end({ timeout: 2 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
