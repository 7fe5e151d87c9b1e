// The floor of an SOS ring, measured the same way in the same run as the hub: one PostgreSQL
// insert, one LiveKit CreateRoom and one WebSocket send on loopback — what any implementation must
// at least do between the request and the console.
import { randomUUID } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import type { Sql } from '../../hub/src/db/client.ts';
import { createMedia } from '../../hub/src/livekit/media.ts';
import { freePort } from '../ports.ts';

export interface Floor {
  /** One floor sample, in ms. */
  sample(): Promise<number>;
  close(): void;
}

export async function startFloor(
  sql: Sql,
  livekit: { apiUrl: string; publicUrl: string; apiKey: string; apiSecret: string },
): Promise<Floor> {
  const media = createMedia({ ...livekit, tokenTtlS: 60 });
  await sql`CREATE TABLE IF NOT EXISTS bench_floor (id uuid PRIMARY KEY, station text NOT NULL, at timestamptz NOT NULL DEFAULT now())`;
  const port = await freePort();
  const wss = new WebSocketServer({ port, host: '127.0.0.1' });
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r) => client.once('open', r));
  const server = await serverSide;
  return {
    async sample() {
      const t0 = performance.now();
      const id = randomUUID();
      await sql`INSERT INTO bench_floor (id, station) VALUES (${id}, 'st')`;
      await media.ensureRoom(`floor-${id}`);
      const got = new Promise((r) => client.once('message', r));
      server.send(JSON.stringify({ type: 'call.ringing', data: { id } }));
      await got;
      return performance.now() - t0;
    },
    close() {
      client.terminate();
      wss.close();
    },
  };
}
