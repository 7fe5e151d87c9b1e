// Deterministic resource ids: the same (station, reading) always maps to the same Observation id, so
// a retried reading hits the primary key instead of creating a second resource.
import { hash } from 'node:crypto';

export function stableUuid(...parts: string[]): string {
  // the one-shot hash: no Hash object per id (one id per reading on the ingest path)
  const h = hash('sha256', parts.join('\u0000'), 'buffer');
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 layout (name-based), variant RFC 4122
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
