import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Served by the hub under /admin/ (same origin, so the session cookie and /ws just work).
export default defineConfig({
  base: '/admin/',
  plugins: [solid()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
});
