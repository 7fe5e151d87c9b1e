// One postgres.js pool per hub process.
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/**
 * `asyncCommit`: every connection commits without waiting for its WAL flush (synchronous_commit
 * off, set at connect). Only for a pool whose transactions write no data (the bus's NOTIFYs).
 */
export function connectDb(url: string, max = 10, o: { asyncCommit?: boolean } = {}): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    // timestamptz as Date; bigints as strings are fine for ids we never do arithmetic on
    connection: { application_name: 'tram-hub', ...(o.asyncCommit ? { synchronous_commit: 'off' } : {}) },
    // Back within a second of the database (its own default backs off to several seconds): the
    // LISTEN connection that rings consoles reconnects with this too, and a call raised meanwhile
    // rings only once it is back (db/bus.ts 'bus.resumed').
    backoff: (attempts: number) => Math.min(0.1 * 2 ** attempts, 1),
  });
}

/** Whether the database answers (for /healthz). */
export const pingDb = (sql: Sql): Promise<boolean> =>
  sql`SELECT 1`.then(
    () => true,
    () => false,
  );
