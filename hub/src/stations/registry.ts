// Kept for the seed, scripts/bench and other workspaces: wards and station registration now live
// in store.ts and service.ts.
export { upsertWard, type Station } from './store.ts';
export { registerStation } from './service.ts';
