// Kiosk benchmark: builds the station page, then measures what the issue budgets: the initial
// JavaScript (entry + its static imports, gzipped), the lazily loaded call chunk (livekit-client),
// and first-screen-interactive in this machine's Chromium — the time from navigation start to the
// page's 'kiosk-interactive' mark (rendered, handlers attached), over cold loads served by the real
// station agent. Prints one JSON line last.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startAgent } from '@tram/station-agent/gateway/server.ts';
import { percentile, round } from './stats.ts';

const root = join(import.meta.dirname, '../..');
const dist = join(root, 'station-ui/dist');
const LOADS = 15;
const log = (m: string) => console.error(`[bench kiosk] ${m}`);

execFileSync('npm', ['run', 'build', '-w', 'station-ui'], { cwd: root, stdio: ['ignore', 2, 2] });

const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length / 1024;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map(
  (m) => m[1] ?? m[2]!,
);
const callChunk = readdirSync(join(dist, 'assets')).filter((f) => /^CallScreen-.*\.js$/.test(f));
if (initial.length === 0 || callChunk.length !== 1)
  throw new Error(`unexpected build output: initial ${initial.join(',')} call ${callChunk.join(',')}`);
const initialKb = initial.reduce((s, f) => s + gz(f), 0);
// The call chunk and every chunk it imports statically that the first screen did not load: the
// bundler may put livekit-client in a chunk of its own, and it is still what a call downloads.
const callFiles = new Set<string>();
const follow = (file: string) => {
  if (callFiles.has(file) || initial.includes(file)) return;
  callFiles.add(file);
  for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) follow(join('assets', m[1]!));
};
follow(join('assets', callChunk[0]!));
const callKb = [...callFiles].reduce((s, f) => s + gz(f), 0);
log(
  `initial JS: ${initial.join(', ')} = ${initialKb.toFixed(1)} KB gzip; call chunk ${[...callFiles].join(' + ')} = ${callKb.toFixed(1)} KB gzip`,
);

// The agent serves the page as on a kiosk; no hub is needed for the first screen (it says the hub is down).
const dataDir = mkdtempSync(join(tmpdir(), 'tram-bench-kiosk-'));
const agent = await startAgent({
  host: '127.0.0.1',
  port: 0,
  hubUrl: 'http://127.0.0.1:9',
  credential: 'bench-station:bench-secret-0123456789',
  dataDir,
  uiDir: dist,
  cardReader: 'off',
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const times: number[] = [];
let loadedCallChunk = false;
try {
  for (let i = 0; i < LOADS + 1; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } }); // fresh cache each time
    const page = await ctx.newPage();
    page.on('request', (r) => {
      if (r.url().includes('CallScreen-')) loadedCallChunk = true;
    });
    await page.goto(agent.url);
    await page.waitForFunction(() => performance.getEntriesByName('kiosk-interactive').length > 0);
    const ms = await page.evaluate(() => performance.getEntriesByName('kiosk-interactive')[0]!.startTime);
    if (!(await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).isEnabled())) throw new Error('SOS button not enabled');
    if (i > 0) times.push(ms); // the first load warms Chromium itself, not the page
    await ctx.close();
  }
} finally {
  await browser.close();
  await agent.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (loadedCallChunk) throw new Error('the call chunk was loaded by the first screen');
times.sort((a, b) => a - b);
log(`first interactive over ${times.length} cold loads: p50 ${round(percentile(times, 50))} ms, max ${round(times.at(-1)!)} ms`);
console.log(
  JSON.stringify({
    bench: 'kiosk',
    initial_js_gzip_kb: round(initialKb),
    first_interactive_ms: round(percentile(times, 50)),
    call_chunk_gzip_kb: round(callKb),
  }),
);
