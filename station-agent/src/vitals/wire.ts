/**
 * The agent → hub contract for vitals: POST {hubUrl}/api/vitals/readings with
 * `Authorization: Station <credential>`. Kept here (not imported from the hub)
 * because the hub side is being built in parallel; the shapes are the agreed
 * ones from issue 4.
 */
import type { StampedReading } from '../devices/stamped-reading.ts';

export type VitalReading = Omit<StampedReading, 'flags'>;

export interface ReadingsBatch {
  sessionId: string;
  readings: VitalReading[];
}

export interface IngestAnswer {
  accepted: string[];
  duplicates: string[];
  rejected: { id: string; reason: string }[];
}

export const MAX_BATCH = 100;

/** The hub gets the measurement, not the device's per-frame flags. */
export function toWire(r: StampedReading): VitalReading {
  const { flags: _flags, ...wire } = r;
  return wire;
}

export function parseIngestAnswer(body: unknown): IngestAnswer | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
  const accepted = strings(b['accepted'] ?? []);
  const duplicates = strings(b['duplicates'] ?? []);
  const rejectedRaw = b['rejected'] ?? [];
  if (!accepted || !duplicates || !Array.isArray(rejectedRaw)) return undefined;
  const rejected: IngestAnswer['rejected'] = [];
  for (const r of rejectedRaw) {
    if (typeof r !== 'object' || r === null || typeof (r as { id?: unknown }).id !== 'string') return undefined;
    const reason = (r as { reason?: unknown }).reason;
    rejected.push({ id: (r as { id: string }).id, reason: typeof reason === 'string' ? reason : 'unspecified' });
  }
  return { accepted, duplicates, rejected };
}
