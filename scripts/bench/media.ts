// `npm run bench -- media`: how many 1:1 calls one LiveKit node holds. Each room gets a kiosk bot
// and an officer bot (scripts/bench/media-bot.ts: @livekit/rtc-node publishing a tone and
// 320×240 video at 15 fps, each subscribed to the other). Rooms are added in steps; at each step
// the server's CPU (from /proc, % of one core) and the packet loss the bots see (inbound RTP) are
// measured over a hold. The ramp stops when loss, the media rate per room or the server's CPU
// crosses its threshold (or at --max-rooms); the last step under all three is what the node held.
// The bots run in this process on the same machine, so on a small machine they may be what runs
// out first: their CPU is printed too.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { startLivekit } from '../../media/livekit.ts';
import { livekitOnFreePorts } from '../ports.ts';
import type { Bot } from './media-bot.ts';
import { cpuMs } from '../procs.ts';
import { round } from './stats.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const MAX_ROOMS = arg('max-rooms', 40),
  STEP = arg('step', 2),
  HOLD_S = arg('hold', 8),
  MAX_LOSS_PCT = arg('max-loss', 2),
  MAX_CPU_PCT = arg('max-cpu', 80),
  MIN_RATE = arg('min-rate', 0.8);
const log = (m: string) => console.error(`[bench media] ${m}`);
// rtc-node logs every callback at debug level unless NODE_ENV is production: keep stdout for the result
process.env.NODE_ENV ??= 'production';
const { startBot, disposeBots } = await import('./media-bot.ts');

const work = mkdtempSync(join(tmpdir(), 'tram-bench-media-'));
const lkOptions = await livekitOnFreePorts({ apiKey: 'tram-bench', webhookUrl: 'http://127.0.0.1:9/none', workDir: work });
const { apiKey: key, apiSecret: secret } = lkOptions;
const lk = await startLivekit(lkOptions);
const rooms = new RoomServiceClient(lk.apiUrl, key, secret);
const pid = lk.process.pid!;
const token = (room: string, identity: string) =>
  (() => {
    const t = new AccessToken(key, secret, { identity, ttl: 3600 });
    t.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
    return t.toJwt();
  })();

const bots: Bot[] = [];
const totals = async () => {
  const all = await Promise.all(bots.map((b) => b.inbound()));
  return all.reduce((a, s) => ({ received: a.received + s.received, lost: a.lost + s.lost }), { received: 0, lost: 0 });
};

interface Step {
  rooms: number;
  serverCpuPct: number;
  botsCpuPct: number;
  lossPct: number;
  packetsPerS: number;
}
const steps: Step[] = [];
let stoppedBy = 'max-rooms';
try {
  for (let n = STEP; n <= MAX_ROOMS; n += STEP) {
    for (let i = bots.length / 2; i < n; i++) {
      const name = `bench-${i}`;
      await rooms.createRoom({ name, emptyTimeout: 60 });
      bots.push(await startBot({ url: lk.wsUrl, token: await token(name, `station:${i}`) }));
      bots.push(await startBot({ url: lk.wsUrl, token: await token(name, `staff:${i}`) }));
    }
    await new Promise((r) => setTimeout(r, 3000)); // let the new calls ramp up their bitrate
    const [c0, s0, u0, t0] = [cpuMs(pid), await totals(), process.cpuUsage(), performance.now()];
    await new Promise((r) => setTimeout(r, HOLD_S * 1000));
    const [c1, s1, u1, t1] = [cpuMs(pid), await totals(), process.cpuUsage(), performance.now()];
    const secs = (t1 - t0) / 1000;
    const received = s1.received - s0.received,
      lost = s1.lost - s0.lost;
    const step: Step = {
      rooms: n,
      serverCpuPct: round((c1 - c0) / 10 / secs),
      botsCpuPct: round(((u1.user - u0.user + u1.system - u0.system) / 1e6 / secs) * 100),
      lossPct: round(received + lost > 0 ? (lost / (received + lost)) * 100 : 100),
      packetsPerS: Math.round(received / secs),
    };
    log(JSON.stringify(step));
    if (step.lossPct > MAX_LOSS_PCT || step.packetsPerS === 0) {
      stoppedBy = `loss ${step.lossPct} % > ${MAX_LOSS_PCT} %`;
      break;
    }
    // libwebrtc answers CPU starvation by sending fewer frames, not by losing packets: a call whose
    // media rate fell well below the first step's is degraded too
    const perRoom = step.packetsPerS / n;
    const firstPerRoom = steps[0] ? steps[0].packetsPerS / steps[0].rooms : perRoom;
    if (perRoom < MIN_RATE * firstPerRoom) {
      stoppedBy = `media rate per room fell to ${Math.round((perRoom / firstPerRoom) * 100)} % of the first step's`;
      break;
    }
    steps.push(step);
    if (step.botsCpuPct > 85 * cpus().length) {
      // past this the bots (not the server) are what is measured
      stoppedBy = `the bots saturate this machine (${step.botsCpuPct} % CPU)`;
      break;
    }
    if (step.serverCpuPct > MAX_CPU_PCT) {
      stoppedBy = `server CPU ${step.serverCpuPct} % of a core > ${MAX_CPU_PCT} %`;
      break;
    }
  }
} finally {
  for (const b of bots) await b.stop();
  await disposeBots();
  await lk.stop();
  rmSync(work, { recursive: true, force: true });
}
const held = steps.at(-1);
console.log(
  JSON.stringify({
    bench: 'media',
    rooms_held: held?.rooms ?? 0,
    server_cpu_pct_per_room: held ? round(held.serverCpuPct / held.rooms) : null,
    loss_pct: held?.lossPct ?? null,
    server_cpu_pct: held?.serverCpuPct ?? null,
    bots_cpu_pct: held?.botsCpuPct ?? null,
    stopped_by: stoppedBy,
    video: '320x240@15 + opus mono, both directions',
    machine: { cores: cpus().length, mem_gib: round(totalmem() / 2 ** 30) },
    steps,
  }),
);
process.exit(0);
