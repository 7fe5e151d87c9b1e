import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { join } from 'node:path';
import { generateVoice } from './scripts/voice.ts';

// Spoken guidance files are made (or kept, when unchanged) before each build.
const voice = (): Plugin => ({
  name: 'kiosk-voice',
  apply: 'build',
  buildStart() {
    generateVoice(join(import.meta.dirname, 'public/voice'), (m) => this.warn(m));
  },
});

export default defineConfig({
  plugins: [solid(), voice()],
  // livekit-client (in the lazily loaded call screen) is large by nature; the budget that matters is
  // the initial bundle, which the kiosk bench measures.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
});
