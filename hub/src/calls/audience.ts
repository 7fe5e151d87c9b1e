// Who is rung for a call at each escalation level, and who may see or answer it. Two-level
// government (no districts since July 2025): the station's ward, then its neighbouring wards
// (ward_neighbours) at T1, then the city police command centre (113) at T2.
import { topic, type Topic } from '@tram/contracts';
import type { Staff } from '../auth/staff.ts';
import type { CallRow } from './store.ts';

export const LEVEL_WARD = 0,
  LEVEL_NEIGHBOURS = 1,
  LEVEL_COMMAND = 2;

/**
 * The topics a call's events go on. Command hears every call (its screen shows all wards' ringing
 * and active calls); its console rings only for escalated ones. A widened call goes on each
 * neighbouring ward's topic, so their police see it ring and then see it taken or ended.
 */
export function topicsFor(c: Pick<CallRow, 'ward_id' | 'neighbour_ids' | 'escalation_level' | 'station_id'>): Topic[] {
  const t = [topic.ward(c.ward_id), topic.station(c.station_id)];
  if (c.escalation_level >= LEVEL_NEIGHBOURS) for (const n of c.neighbour_ids) t.push(topic.ward(n));
  t.push(topic.command);
  return t;
}

/** The call topics a police or command socket hears. */
export function staffTopics(s: Staff): Topic[] {
  if (s.role === 'command') return [topic.command];
  if (s.role !== 'police') return [];
  return s.wardIds.map((w) => topic.ward(w));
}

/** Police of the ward always; of a neighbouring ward once widened; command any call. */
export function canHandle(s: Staff, c: Pick<CallRow, 'ward_id' | 'escalation_level'>): boolean {
  if (s.role === 'police') {
    return s.wardIds.includes(c.ward_id) || (c.escalation_level >= LEVEL_NEIGHBOURS && s.neighbourOf.includes(c.ward_id));
  }
  return s.role === 'command';
}
