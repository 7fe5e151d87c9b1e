// The real station agent as its own process, driven by the fault matrix over an IPC channel: a
// process can be put in a network namespace (`ip netns exec`) while the IPC pipe still reaches the
// parent, so the matrix sees what the kiosk sees even when the station's network is cut.
// Config: FAULTS_AGENT (JSON, below). Messages in: {op:'sos'} | {op:'state'} | {op:'stop'}.
// Messages out: {op:'ready', url} | {op:'reading', id, recorded} | {op:'state', state} | {op:'sos', state}.
import WebSocket from 'ws';
import { startAgent } from '../../station-agent/src/gateway/server.ts';
import { parseDeviceConfigs } from '../../station-agent/src/devices/device-config.ts';

interface Config {
  host: string;
  hubUrl: string;
  credential: string;
  dataDir: string;
  uiDir: string;
  sessionId: string;
  devices: unknown[];
  heartbeatMs: number;
}

const send = (m: unknown) => process.send?.(m);
const cfg = JSON.parse(process.env.FAULTS_AGENT ?? '{}') as Config;
const agent = await startAgent({
  host: cfg.host,
  port: 0,
  hubUrl: cfg.hubUrl,
  credential: cfg.credential,
  dataDir: cfg.dataDir,
  uiDir: cfg.uiDir,
  devices: parseDeviceConfigs(cfg.devices),
  cardReader: 'off',
  heartbeatMs: cfg.heartbeatMs,
});
// Health readings are kept only for an identified resident: the matrix opened that session at the hub.
agent.vitals.setSession(cfg.sessionId);

// What the kiosk page hears, over the agent's own socket, as the page would.
const kiosk = new WebSocket(`${agent.url.replace(/^http/, 'ws')}/agent/ws?key=${agent.key}`);
kiosk.on('message', (m) => {
  const e = JSON.parse(m.toString()) as { type: string; data: { id?: string; recorded?: boolean } };
  if (e.type === 'vitals.reading') send({ op: 'reading', id: e.data.id, recorded: e.data.recorded === true });
  if (e.type === 'agent.state') send({ op: 'state', state: e.data });
});
await new Promise<void>((resolve, reject) => {
  kiosk.once('open', () => resolve());
  kiosk.once('error', reject);
});

process.on('message', (m: { op: string }) => {
  if (m.op === 'sos') send({ op: 'sos', state: agent.outbox.raise() });
  else if (m.op === 'state') send({ op: 'state', state: { sos: agent.outbox.state(), queue: agent.vitals.queue.size } });
  else if (m.op === 'stop') {
    kiosk.terminate();
    void agent.stop().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => void agent.stop().finally(() => process.exit(0)));
send({ op: 'ready', url: agent.url });
