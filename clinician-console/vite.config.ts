import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Served by the hub under /clinician/ (same origin, so the session cookie and /ws just work).
export default defineConfig({
  base: '/clinician/',
  plugins: [solid()],
  resolve: {
    // fhir-kit-client builds a Node keep-alive agent for every request; the browser's fetch ignores
    // it, but the real package pulls in node:http, so the browser gets an inert stand-in.
    alias: { agentkeepalive: fileURLToPath(new URL('./src/fhir/agentkeepalive-shim.ts', import.meta.url)) },
  },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
});
