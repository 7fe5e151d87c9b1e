// Build-time voice guidance: each spoken line of the Vietnamese strings becomes a WAV file made
// with Debian's espeak-ng Vietnamese voice, shipped in public/voice/ with a manifest the page
// reads. File names carry a hash of the text, so a changed line is regenerated and never served
// stale from a cache. Without espeak-ng the files already there are kept (and the build says so).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from '../src/i18n/vi.ts';

/** The lines the kiosk speaks (keys of vi.ts); the page asks for them by key. */
export const VOICE_KEYS = [
  'insertCard',
  'canTitle',
  'stepBpHow',
  'stepOximeterHow',
  'stepTemperatureHow',
  'stepWeightHow',
  'stepHeightHow',
  'waitStay',
  'sosCountdownVoice',
  'removeCardVoice',
] as const;
const ARGS = ['-v', 'vi', '-s', '135', '-a', '160'];

export function generateVoice(
  outDir: string,
  log: (m: string) => void = console.log,
): { generated: number; kept: number; missing: string[] } {
  mkdirSync(outDir, { recursive: true });
  const hasEspeak = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
  const manifest: Record<string, string> = {};
  const missing: string[] = [];
  let generated = 0,
    kept = 0;
  for (const key of VOICE_KEYS) {
    const text = vi[key];
    const file = `${key}-${createHash('sha256')
      .update(`${ARGS.join(' ')}\n${text}`)
      .digest('hex')
      .slice(0, 10)}.wav`;
    const path = join(outDir, file);
    if (existsSync(path)) {
      kept++;
      manifest[key] = file;
      continue;
    }
    if (!hasEspeak) {
      missing.push(key);
      continue;
    }
    const r = spawnSync('espeak-ng', [...ARGS, '-w', path, text], { encoding: 'utf8' });
    if (r.status !== 0) {
      missing.push(key);
      log(`voice: espeak-ng failed for ${key}: ${r.stderr}`);
      continue;
    }
    generated++;
    manifest[key] = file;
  }
  // Files of lines that changed or were dropped go.
  for (const f of readdirSync(outDir)) if (f.endsWith('.wav') && !Object.values(manifest).includes(f)) rmSync(join(outDir, f));
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  if (missing.length)
    log(
      `voice: ${missing.length} line(s) have no audio (${hasEspeak ? 'espeak-ng failed' : 'espeak-ng is not installed: apt-get install espeak-ng'}): ${missing.join(', ')}`,
    );
  return { generated, kept, missing };
}
