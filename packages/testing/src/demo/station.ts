// The demo station (`npm start` on embedded defaults): a virtual card reader holding the demo
// residents' ID cards, the booth's devices simulated on pseudo-terminals, and the control page
// that plays the resident's hands. The agent and hub run unchanged on top: the agent reads the
// card through pcscd and the devices through its real drivers; the hub verifies the demo
// documents against the demo CSCA, which it refuses in production.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { DemoBooth, SCENARIOS, type BoothDeviceConfig } from './booth.ts';
import { DemoCardSlot, type DemoCard } from './card-slot.ts';
import { controlPage } from './control-page.ts';

export interface DemoStation {
  /** The demo CSCA certificate (PEM file) for the hub's CSCA_PATHS. */
  cscaPath: string;
  /** The agent's VITALS_DEVICES for the simulated booth. */
  devices: BoothDeviceConfig[];
  residents: DemoCard[];
  controlUrl: string;
  card: DemoCardSlot;
  booth: DemoBooth;
  stop(): Promise<void>;
}

const cardBody = z.union([z.strictObject({ insert: z.string().max(32) }), z.strictObject({ remove: z.literal(true) })]);
const boothBody = z.strictObject({
  scenario: z.enum(Object.keys(SCENARIOS) as [keyof typeof SCENARIOS]).optional(),
  scale: z.boolean().optional(),
  height: z.boolean().optional(),
  oximeter: z.boolean().optional(),
  thermometer: z.boolean().optional(),
});

export async function startDemoStation(opts: { dir: string; vpcdPort: number; port: number; kioskUrl: string }): Promise<DemoStation> {
  mkdirSync(opts.dir, { recursive: true });
  const card = new DemoCardSlot(opts.vpcdPort);
  const cscaPath = join(opts.dir, 'demo-csca.pem');
  writeFileSync(cscaPath, card.cscaPem);
  const booth = await DemoBooth.start();

  const state = () => ({ card: card.inserted(), booth: booth.state, residents: card.residents() });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 4096) throw new Error('too large');
      chunks.push(c as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://demo').pathname;
      if (req.method === 'GET' && (path === '/' || path === '/demo')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(controlPage(card.residents(), opts.kioskUrl));
      }
      if (req.method === 'GET' && path === '/demo/state') return json(res, 200, state());
      if (req.method === 'POST' && (path === '/demo/card' || path === '/demo/booth')) {
        if (!String(req.headers['content-type']).startsWith('application/json')) return json(res, 415, { error: 'send JSON' });
        let body: unknown;
        try {
          body = await readJson(req);
        } catch {
          return json(res, 400, { error: 'body must be JSON (at most 4 KiB)' });
        }
        if (path === '/demo/card') {
          const b = cardBody.safeParse(body);
          if (!b.success) return json(res, 400, { error: 'send {"insert":"<resident>"} or {"remove":true}' });
          try {
            if ('insert' in b.data) await card.insert(b.data.insert);
            else await card.remove();
          } catch (err) {
            return json(res, err instanceof RangeError ? 404 : 503, { error: (err as Error).message });
          }
          return json(res, 200, state());
        }
        const b = boothBody.safeParse(body);
        if (!b.success) return json(res, 400, { error: b.error.issues.map((i) => i.message).join('; ') });
        if (b.data.scenario) booth.setScenario(b.data.scenario);
        if (b.data.scale !== undefined) booth.stepOnScale(b.data.scale);
        if (b.data.height !== undefined) booth.standUnderHeightSensor(b.data.height);
        if (b.data.oximeter !== undefined) booth.clipOximeter(b.data.oximeter);
        if (b.data.thermometer !== undefined) booth.useThermometer(b.data.thermometer);
        return json(res, 200, state());
      }
      json(res, 404, { error: 'not found' });
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'demo control failed' });
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, '127.0.0.1', resolve);
    });
  } catch (err) {
    await booth.stop();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    cscaPath,
    devices: booth.devices,
    residents: card.residents(),
    controlUrl: `http://127.0.0.1:${port}/`,
    card,
    booth,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await card.remove().catch(() => {});
      await booth.stop();
    },
  };
}
