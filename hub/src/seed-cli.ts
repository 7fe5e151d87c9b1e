// `npm run seed`: seeds the demo data into DATABASE_URL (or the embedded database) and prints logins.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { connectDb } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { seedDemo, writeCredential } from './seed.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const config = loadConfig();
// demo accounts carry a published password: never into a production database
if (config.production) {
  console.error('npm run seed: refusing to seed demo accounts with NODE_ENV=production (create staff with `npm run admin`)');
  process.exit(1);
}
const embedded = config.databaseUrl
  ? undefined
  : await startEmbeddedPostgres({ dir: config.embeddedPg.dir ?? join(root, '.data/pg'), port: config.embeddedPg.port });
const sql = connectDb(config.databaseUrl ?? embedded!.url, 2);
await migrate(sql);
const demo = await seedDemo(sql);
const credPath = process.env.STATION_CREDENTIAL_FILE ?? join(root, '.data/station.credential');
writeCredential(credPath, demo.station.credential);
console.log(`station ${demo.station.code}: credential written to ${credPath}`);
for (const l of demo.logins) console.log(`  ${l.role.padEnd(9)} ${l.username} / ${l.password}`);
await sql.end();
await embedded?.stop();
