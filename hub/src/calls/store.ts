// Reads of calls and their timeline, and the mapping to the views the consoles see.
import type { Sql, Tx } from '../db/client.ts';
import type { CallView, TimelineEntry } from '@tram/contracts';

export interface CallRow {
  id: string;
  station_id: string;
  ward_id: number;
  status: 'ringing' | 'answered' | 'ended';
  escalation_level: number;
  room_name: string;
  note: string | null;
  created_at: Date;
  answered_at: Date | null;
  answered_by: string | null;
  ended_at: Date | null;
  end_reason: string | null;
  station_code: string;
  station_name: string;
  station_address: string;
  ward_name: string;
  district: string;
  answerer_username: string | null;
  answerer_name: string | null;
}

export function selectCalls(sql: Sql | Tx) {
  return sql`
    SELECT c.id, c.station_id, c.ward_id, c.status, c.escalation_level, c.room_name, c.note, c.created_at,
           c.answered_at, c.answered_by, c.ended_at, c.end_reason,
           s.code AS station_code, s.name AS station_name, s.address AS station_address,
           w.name AS ward_name, w.district, a.username AS answerer_username, a.display_name AS answerer_name
    FROM calls c JOIN stations s ON s.id = c.station_id JOIN wards w ON w.id = c.ward_id
    LEFT JOIN staff a ON a.id = c.answered_by`;
}

export async function callById(sql: Sql | Tx, id: string): Promise<CallRow | undefined> {
  const [row] = await sql<CallRow[]>`${selectCalls(sql)} WHERE c.id = ${id}`;
  return row;
}

export async function callByRoom(sql: Sql | Tx, room: string): Promise<CallRow | undefined> {
  const [row] = await sql<CallRow[]>`${selectCalls(sql)} WHERE c.room_name = ${room}`;
  return row;
}

export function toView(r: CallRow): CallView {
  return {
    id: r.id,
    status: r.status,
    escalationLevel: r.escalation_level,
    station: { id: r.station_id, code: r.station_code, name: r.station_name, address: r.station_address, ward: r.ward_name, district: r.district },
    note: r.note,
    createdAt: r.created_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
    answeredBy: r.answerer_username ? { username: r.answerer_username, displayName: r.answerer_name ?? r.answerer_username } : null,
    endedAt: r.ended_at?.toISOString() ?? null,
    endReason: r.end_reason,
  };
}

export async function addEvent(tx: Sql | Tx, callId: string, kind: string, actor: string, detail: Record<string, unknown> = {}): Promise<void> {
  await tx`INSERT INTO call_events (call_id, kind, actor, detail) VALUES (${callId}, ${kind}, ${actor}, ${tx.json(detail as never)})`;
}

export async function timeline(sql: Sql, callId: string): Promise<TimelineEntry[]> {
  const rows = await sql<{ at: Date; kind: string; actor: string; detail: Record<string, unknown> }[]>`
    SELECT at, kind, actor, detail FROM call_events WHERE call_id = ${callId} ORDER BY id`;
  return rows.map((r) => ({ at: r.at.toISOString(), kind: r.kind, actor: r.actor, detail: r.detail }));
}
