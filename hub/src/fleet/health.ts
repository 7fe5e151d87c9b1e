// What a heartbeat means, as pure functions: the part of it whose change is worth a row (uptime
// and small disk movements are not), what is wrong with the station, whether its SOS path is
// broken, and what changed since the previous heartbeat (the station's timeline).
import { createHash } from 'node:crypto';
import type { FleetStatus, Heartbeat } from '@tram/contracts';

/** Below this much free disk the station is degraded (the outboxes live on it). */
export const LOW_DISK_MB = 1024;
/** More readings than this waiting for the hub: the vitals path is not draining. */
export const VITALS_BACKLOG = 100;

/** The heartbeat without what changes every time: its digest decides whether anything is written. */
export function significant(h: Heartbeat) {
  return {
    version: h.version,
    reader: h.reader,
    devices: [...h.devices]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((d) => ({ id: d.id, kind: d.kind, state: d.state, ...(d.error ? { error: d.error } : {}) })),
    sosOutbox: h.sosOutbox,
    vitalsBacklog: h.vitalsQueue > VITALS_BACKLOG,
    camera: h.camera,
    microphone: h.microphone,
    lowDisk: h.freeDiskMb !== null && h.freeDiskMb < LOW_DISK_MB,
  };
}
export type Significant = ReturnType<typeof significant>;

export const digestOf = (s: Significant) => createHash('sha256').update(JSON.stringify(s)).digest();

/** What is wrong, in words an operator reads (English; the console translates the known ones). */
export function problems(s: Significant, devicesExpected: string[]): string[] {
  const p: string[] = [];
  if (s.reader === 'no_reader') p.push('card reader missing');
  for (const d of s.devices) if (d.state !== 'connected') p.push(`device ${d.kind} ${d.state}${d.error ? ` (${d.error})` : ''}`);
  for (const k of devicesExpected) if (!s.devices.some((d) => d.kind === k)) p.push(`device ${k} not configured`);
  if (s.camera === 'missing') p.push('camera missing');
  if (s.microphone === 'missing') p.push('microphone missing');
  if (s.sosOutbox > 0) p.push(`SOS outbox: ${s.sosOutbox} waiting`);
  if (s.vitalsBacklog) p.push(`vitals queue over ${VITALS_BACKLOG}`);
  if (s.lowDisk) p.push(`free disk under ${LOW_DISK_MB} MB`);
  return p;
}

/**
 * The SOS path is broken when the kiosk cannot be seen or heard, or emergencies pile up unsent
 * (the outbox grew since the last heartbeat, or holds several). Null when it is fine.
 */
export function sosPathProblem(s: Significant, prev: Significant | null): string | null {
  const why: string[] = [];
  if (s.camera === 'missing') why.push('no camera');
  if (s.microphone === 'missing') why.push('no microphone');
  if (s.sosOutbox >= 3 || (s.sosOutbox > 0 && prev !== null && s.sosOutbox > prev.sosOutbox))
    why.push(`SOS outbox growing (${s.sosOutbox})`);
  return why.length ? why.join(', ') : null;
}

export interface Change {
  kind: string;
  detail: Record<string, unknown>;
}

/** What changed between two heartbeats, one timeline entry each. */
export function changes(prev: Significant | null, next: Significant): Change[] {
  if (!prev) return [{ kind: 'first_heartbeat', detail: { version: next.version } }];
  const out: Change[] = [];
  const field = (name: keyof Significant) => {
    if (JSON.stringify(prev[name]) !== JSON.stringify(next[name]))
      out.push({ kind: `${name}.changed`, detail: { from: prev[name], to: next[name] } });
  };
  for (const f of ['version', 'reader', 'camera', 'microphone', 'sosOutbox', 'vitalsBacklog', 'lowDisk'] as const) field(f);
  const before = new Map(prev.devices.map((d) => [d.id, d]));
  for (const d of next.devices) {
    const b = before.get(d.id);
    if (!b || b.state !== d.state || b.error !== d.error)
      out.push({
        kind: 'device.changed',
        detail: { device: d.id, kind: d.kind, from: b?.state ?? null, to: d.state, ...(d.error ? { error: d.error } : {}) },
      });
    before.delete(d.id);
  }
  for (const b of before.values()) out.push({ kind: 'device.changed', detail: { device: b.id, kind: b.kind, from: b.state, to: null } });
  return out;
}

export function statusOf(s: { active: boolean; seen: boolean; offline: boolean; problems: string[] }): FleetStatus {
  if (!s.active) return 'retired';
  if (!s.seen) return 'never_seen';
  if (s.offline) return 'offline';
  return s.problems.length ? 'degraded' : 'ok';
}
