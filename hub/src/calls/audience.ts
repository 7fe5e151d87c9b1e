// Who is rung for a call at each escalation level, and who may see or answer it.
import { topic, type Topic } from '@tram/contracts';
import type { Staff } from '../auth/staff.ts';
import type { CallRow } from './store.ts';

export const LEVEL_WARD = 0,
  LEVEL_DISTRICT = 1,
  LEVEL_COMMAND = 2;

export function topicsFor(c: Pick<CallRow, 'ward_id' | 'district' | 'escalation_level' | 'station_id'>): Topic[] {
  const t = [topic.ward(c.ward_id), topic.station(c.station_id)];
  if (c.escalation_level >= LEVEL_DISTRICT) t.push(topic.district(c.district));
  if (c.escalation_level >= LEVEL_COMMAND) t.push(topic.command);
  return t;
}

/** The call topics a police or command socket hears. */
export function staffTopics(s: Staff): Topic[] {
  if (s.role === 'command') return [topic.command];
  if (s.role !== 'police') return [];
  return [...s.wardIds.map((w) => topic.ward(w)), ...s.districts.map((d) => topic.district(d))];
}

/** Police of the ward always; of the district once widened; command once escalated. */
export function canHandle(s: Staff, c: Pick<CallRow, 'ward_id' | 'district' | 'escalation_level'>): boolean {
  if (s.role === 'police') {
    return s.wardIds.includes(c.ward_id) || (c.escalation_level >= LEVEL_DISTRICT && s.districts.includes(c.district));
  }
  return s.role === 'command' && c.escalation_level >= LEVEL_COMMAND;
}
