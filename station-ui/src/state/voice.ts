// Optional spoken guidance in Vietnamese: pre-generated audio files (scripts/voice.ts, espeak-ng at
// build time) listed in /voice/manifest.json. No network speech service. Muted by one tap; only
// Vietnamese has recorded lines, so nothing plays in English.
import { createSignal } from 'solid-js';
import { lang } from '../i18n/index.ts';

export const [muted, setMuted] = createSignal(false);
let manifest: Promise<Record<string, string>> | undefined;
let playing: HTMLAudioElement | undefined;

export function speak(key: string) {
  stopVoice();
  if (muted() || lang() !== 'vi') return;
  manifest ??= fetch('/voice/manifest.json', { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}));
  void manifest.then((m) => {
    const file = m[key];
    if (!file || muted() || lang() !== 'vi') return;
    playing = new Audio(`/voice/${file}`);
    playing.play().catch(() => {});
  });
}
export function stopVoice() {
  playing?.pause();
  playing = undefined;
}
export function toggleMute() {
  setMuted(!muted());
  if (muted()) stopVoice();
}
