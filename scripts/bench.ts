// `npm run bench -- <name>`: runs one benchmark (default: all) against real servers; each prints
// one JSON line as its last line.
export {}; // a module, for top-level await
const benches: Record<string, () => Promise<unknown>> = {
  sos: () => import('./bench/sos.ts'),
  'sos-burst': () => import('./bench/sos-burst.ts'),
  'sos-cluster': () => import('./bench/sos-cluster.ts'),
  vitals: () => import('./bench/vitals.ts'),
  'vitals-path': () => import('./bench/vitals-path.ts'),
  card: () => import('./bench/card.ts'),
  consult: () => import('./bench/consult.ts'),
  kiosk: () => import('./bench/kiosk.ts'),
  'sos-flood': () => import('./bench/sos-flood.ts'),
  police: () => import('./bench/police.ts'),
  'police-media': () => import('./bench/police-media.ts'),
  fleet: () => import('./bench/fleet.ts'),
  services: () => import('./bench/services.ts'),
  faults: () => import('./bench/faults.ts'),
  media: () => import('./bench/media.ts'),
  'media-watch': () => import('./bench/media-watch.ts'),
};
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const n of names.length ? names : Object.keys(benches)) {
  const run = benches[n];
  if (!run) {
    console.error(`unknown benchmark "${n}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await run();
}
