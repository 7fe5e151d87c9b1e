// The floor of an SOS burst, in a process of its own as the hub is: a bare node:http server that
// takes the same requests and does what any implementation must at least do before a console
// rings — read the request, one idempotent PostgreSQL insert (one call per station), and one
// WebSocket send to each console of the station's ward. No auth, no timeline, no LiveKit, no
// NOTIFY between hubs. Parent → child (IPC): { dbUrl, stations: [credential, wardId][] };
// child → parent: { port }. Consoles connect to ws://…/ws?ward=<id>.
import { createServer } from 'node:http';
import postgres from 'postgres';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';

process.once('message', async (m: { dbUrl: string; stations: [string, number][] }) => {
  const sql = postgres(m.dbUrl, { max: 8, onnotice: () => {} });
  await sql`CREATE TABLE IF NOT EXISTS bench_burst_floor (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), station text UNIQUE NOT NULL, key text NOT NULL)`;
  const wardOf = new Map(m.stations);
  const consoles = new Map<number, Set<WebSocket>>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const credential = String(req.headers.authorization ?? '').replace(/^Station /, '');
      const ward = wardOf.get(credential);
      if (req.url !== '/api/calls' || ward === undefined) {
        res.writeHead(404).end();
        return;
      }
      JSON.parse(Buffer.concat(chunks).toString()); // reading the body is part of the floor's work
      const key = String(req.headers['idempotency-key']);
      const [made] = await sql<{ id: string }[]>`
        INSERT INTO bench_burst_floor (station, key) VALUES (${credential}, ${key}) ON CONFLICT (station) DO NOTHING RETURNING id`;
      let id = made?.id;
      if (made) {
        const ring = JSON.stringify({ type: 'call.ringing', data: { call: { id } } });
        for (const ws of consoles.get(ward) ?? []) ws.send(ring);
      } else id = (await sql<{ id: string }[]>`SELECT id FROM bench_burst_floor WHERE station = ${credential}`)[0]?.id;
      res.writeHead(made ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ call: { id } }));
    });
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws, req) => {
    const ward = Number(new URL(req.url!, 'http://x').searchParams.get('ward'));
    const set = consoles.get(ward) ?? new Set();
    consoles.set(ward, set);
    set.add(ws);
    ws.on('close', () => set.delete(ws));
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
});
