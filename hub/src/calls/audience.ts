// Who is rung for a call at each escalation level, and who may see or answer it.
import type { Staff } from '../auth/staff.ts';
import type { CallRow } from './store.ts';

export const LEVEL_WARD = 0, LEVEL_DISTRICT = 1, LEVEL_COMMAND = 2;

export function topicsFor(c: Pick<CallRow, 'ward_id' | 'district' | 'escalation_level' | 'station_id'>): string[] {
  const t = [`ward:${c.ward_id}`, `station:${c.station_id}`];
  if (c.escalation_level >= LEVEL_DISTRICT) t.push(`district:${c.district}`);
  if (c.escalation_level >= LEVEL_COMMAND) t.push('command');
  return t;
}

export function staffTopics(s: Staff): string[] {
  if (s.role === 'command') return ['command'];
  if (s.role !== 'police') return [];
  return [...s.wardIds.map((w) => `ward:${w}`), ...s.districts.map((d) => `district:${d}`)];
}

/** Police of the ward always; of the district once widened; command once escalated. */
export function canHandle(s: Staff, c: Pick<CallRow, 'ward_id' | 'district' | 'escalation_level'>): boolean {
  if (s.role === 'police') {
    return s.wardIds.includes(c.ward_id) || (c.escalation_level >= LEVEL_DISTRICT && s.districts.includes(c.district));
  }
  return s.role === 'command' && c.escalation_level >= LEVEL_COMMAND;
}
