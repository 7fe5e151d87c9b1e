// Kept for scripts/bench: citizens and sessions now live in store.ts (SQL) and service.ts (flows).
export { upsertCitizen, stationSession, type Citizen, type CitizenSession } from './store.ts';
export { openSession } from './service.ts';
