/** The hub's re-measure request on the station's WebSocket: `{ "type": "vitals.remeasure", "data": { "kind": "blood_pressure" } }`. */
import { type BoothKind, remeasureBody } from '@tram/contracts';

/** The requested kind, or undefined if the frame is not a (well-formed) re-measure request. */
export function parseRemeasure(event: unknown): BoothKind | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { type?: unknown; data?: unknown };
  if (e.type !== 'vitals.remeasure') return undefined;
  const parsed = remeasureBody.safeParse(e.data);
  return parsed.success ? parsed.data.kind : undefined;
}
