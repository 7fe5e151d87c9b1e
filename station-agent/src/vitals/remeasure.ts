/** The hub's re-measure request on the station's WebSocket: `{ "type": "vitals.remeasure", "data": { "kind": "blood_pressure" } }`. */
import type { ReadingKind } from '../devices/common.ts';

const KINDS: readonly ReadingKind[] = ['weight', 'height', 'temperature', 'spo2', 'heart_rate', 'blood_pressure'];

/** The requested kind, or undefined if the frame is not a (well-formed) re-measure request. */
export function parseRemeasure(event: unknown): ReadingKind | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { type?: unknown; data?: { kind?: unknown } };
  if (e.type !== 'vitals.remeasure') return undefined;
  const kind = e.data?.kind;
  return typeof kind === 'string' && (KINDS as readonly string[]).includes(kind) ? (kind as ReadingKind) : undefined;
}
