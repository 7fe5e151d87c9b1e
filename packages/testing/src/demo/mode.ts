// When `npm start` runs the demo station: only in development, only when no real device or card
// reader is configured, and (with an external database) only when asked with --demo.
export function demoStationWanted(env: Record<string, string | undefined>, args: readonly string[]): { demo: boolean; why: string } {
  if (env.NODE_ENV === 'production') return { demo: false, why: 'NODE_ENV=production' };
  if (env.VITALS_DEVICES || env.VITALS_DEVICES_FILE) return { demo: false, why: 'real booth devices are configured (VITALS_DEVICES)' };
  if (env.CARD_READER && env.CARD_READER !== 'auto')
    return { demo: false, why: `a card reader is configured (CARD_READER=${env.CARD_READER})` };
  if (env.DATABASE_URL && !args.includes('--demo'))
    return { demo: false, why: 'DATABASE_URL is set (add --demo to run the demo station on it)' };
  return { demo: true, why: 'embedded defaults' };
}
