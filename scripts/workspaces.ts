// Every workspace with TypeScript of its own, plus scripts/: what `npm test` scans for test files
// and `npm run typecheck` checks.
export const PROJECTS = [
  'scripts',
  'packages/contracts',
  'packages/icao',
  'packages/testing',
  'packages/console-ui',
  'hub',
  'station-agent',
  'station-ui',
  'police-console',
  'clinician-console',
  'admin-console',
] as const;
