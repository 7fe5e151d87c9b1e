// What the media watch costs LiveKit (issue 16, review of the watch): every MEDIA_WATCH_S each hub
// looks at the room of every answered call, and a look is a listRooms plus an updateRoomMetadata
// (the one request LiveKit routes to the room's node, hence the one that tells a dead node).
// R rooms on a real LiveKit node; first LiveKit's CPU with nobody looking, then with every room
// looked at once per interval as the watch does (media.roomStates). Prints the CPU LiveKit and the
// looking process spend per look and how long a tick's looks at all rooms took. The rooms have no participants here:
// with them LiveKit also sends each participant the room update (not measured).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { startLivekit } from '../../media/livekit.ts';
import { createMedia } from '../../hub/src/livekit/media.ts';
import { freePort, livekitOnFreePorts } from '../ports.ts';
import { cpuMs } from '../procs.ts';
import { percentile, round } from './stats.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const ROOMS = arg('rooms', 300),
  INTERVAL_S = arg('interval', 5),
  SECONDS = arg('seconds', 30);
const log = (m: string) => console.error(`[bench media-watch] ${m}`);

const work = mkdtempSync(join(tmpdir(), 'tram-media-watch-'));
const lkOptions = await livekitOnFreePorts({
  apiKey: 'tram-bench',
  webhookUrl: `http://127.0.0.1:${await freePort()}/livekit/webhook`,
  workDir: join(work, 'livekit'),
});
const { apiKey, apiSecret } = lkOptions;
const lk = await startLivekit(lkOptions);
const media = createMedia({ apiUrl: lk.apiUrl, publicUrl: lk.wsUrl, apiKey, apiSecret, tokenTtlS: 600 });

log(`creating ${ROOMS} rooms`);
const rooms = Array.from({ length: ROOMS }, (_, i) => `sos-watch-${i}`);
for (let i = 0; i < rooms.length; i += 20) await Promise.all(rooms.slice(i, i + 20).map((r) => media.ensureRoom(r)));
await new Promise((r) => setTimeout(r, 3000));

log(`${SECONDS} s with nobody looking`);
let t0 = cpuMs(lk.process.pid!);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const idleMs = cpuMs(lk.process.pid!) - t0;

log(`${SECONDS} s looking at every room each ${INTERVAL_S} s`);
const lat: number[] = [];
let notLive = 0;
t0 = cpuMs(lk.process.pid!);
const c0 = process.cpuUsage();
const end = performance.now() + SECONDS * 1000;
while (performance.now() < end) {
  const tick = performance.now();
  // as the watch's tick does: every room in one call (media.roomStates)
  const states = await media.roomStates(rooms);
  notLive += states.filter((st) => st.state !== 'live').length;
  lat.push(performance.now() - tick);
  await new Promise((r) => setTimeout(r, Math.max(0, tick + INTERVAL_S * 1000 - performance.now())));
}
const watchMs = cpuMs(lk.process.pid!) - t0;
const c = process.cpuUsage(c0);
await lk.stop();
rmSync(work, { recursive: true, force: true });

const looks = lat.length * ROOMS;
const lkMsPerLook = (watchMs - idleMs) / looks;
log(`LiveKit CPU: ${idleMs} ms idle, ${watchMs} ms watched over ${SECONDS} s; ${looks} looks, ${notLive} not live`);
console.log(
  JSON.stringify({
    bench: 'media-watch',
    rooms: ROOMS,
    interval_s: INTERVAL_S,
    looks,
    not_live: notLive,
    tick_p50_ms: round(percentile(lat, 50)),
    tick_max_ms: round(Math.max(...lat)),
    livekit_cpu_ms_per_look: round(lkMsPerLook),
    livekit_cpu_pct_watching: round((lkMsPerLook * ROOMS) / INTERVAL_S / 10),
    hub_cpu_ms_per_look: round((c.user + c.system) / 1000 / looks),
  }),
);
