// `/metrics` on its own listener (METRICS_PORT, loopback unless METRICS_HOST says otherwise), so
// the numbers of a city's emergency system are not on the public port; off when unset.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sql } from '../db/client.ts';
import { type Metrics, readFromDatabase } from './metrics.ts';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(m: Metrics, sql: Sql, o: { port: number; host: string }): Promise<MetricsServer> {
  const refresh = readFromDatabase(m, sql);
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    await refresh();
    res.writeHead(200, { 'content-type': m.registry.contentType }).end(await m.registry.metrics());
  });
  await new Promise<void>((r) => server.listen(o.port, o.host, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host}:${port}/metrics`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
