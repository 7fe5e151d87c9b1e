import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Served by the hub under /clinician/ (same origin, so the session cookie and /ws just work).
export default defineConfig({
  base: '/clinician/',
  plugins: [solid()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
});
