// All SQL of responders added to a call: invited, joined, left; the owner handing the call over.
import type { Sql, Tx } from '../db/client.ts';
import type { ResponderView } from '@tram/contracts';

export interface ResponderRow {
  call_id: string;
  staff_id: string;
  username: string;
  display_name: string;
  role: string;
  status: 'invited' | 'joined' | 'left';
  note: string | null;
  invited_by: string | null;
}

export const responderView = (r: ResponderRow): ResponderView => ({
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  status: r.status,
  note: r.note,
  invitedBy: r.invited_by,
});

function selectResponders(sql: Sql | Tx) {
  return sql`
    SELECT r.call_id, r.staff_id, s.username, s.display_name, s.role, r.status, r.note, i.username AS invited_by
    FROM call_responders r JOIN staff s ON s.id = r.staff_id LEFT JOIN staff i ON i.id = r.invited_by`;
}

export async function respondersOf(sql: Sql | Tx, callId: string): Promise<ResponderRow[]> {
  return sql<ResponderRow[]>`${selectResponders(sql)} WHERE r.call_id = ${callId} ORDER BY r.invited_at`;
}

export async function responderOf(sql: Sql | Tx, callId: string, staffId: string): Promise<ResponderRow | undefined> {
  const [r] = await sql<ResponderRow[]>`${selectResponders(sql)} WHERE r.call_id = ${callId} AND r.staff_id = ${staffId}`;
  return r;
}

/** Live calls this staff member was added to (invited or joined). */
export async function callsRespondedBy(sql: Sql, staffId: string): Promise<ResponderRow[]> {
  return sql<ResponderRow[]>`
    ${selectResponders(sql)} JOIN calls c ON c.id = r.call_id
    WHERE r.staff_id = ${staffId} AND r.status <> 'left' AND c.status <> 'ended' ORDER BY r.invited_at`;
}

/** An active staff member who may be added to a call (police, command or a 115 medic). */
export async function responderCandidate(
  sql: Sql | Tx,
  username: string,
): Promise<{ id: string; username: string; display_name: string; role: string } | undefined> {
  const [r] = await sql<{ id: string; username: string; display_name: string; role: string }[]>`
    SELECT id, username, display_name, role FROM staff
    WHERE username = ${username} AND active AND role IN ('police', 'command', 'medic')`;
  return r;
}

/** Invites (or re-invites someone who left); false when they are already invited or in the call. */
export async function insertInvitation(tx: Tx, callId: string, staffId: string, invitedBy: string, note: string): Promise<boolean> {
  const [r] = await tx`
    INSERT INTO call_responders (call_id, staff_id, invited_by, note, status) VALUES (${callId}, ${staffId}, ${invitedBy}, ${note}, 'invited')
    ON CONFLICT (call_id, staff_id) DO UPDATE SET status = 'invited', invited_by = EXCLUDED.invited_by, note = EXCLUDED.note,
      invited_at = now(), joined_at = NULL, left_at = NULL
    WHERE call_responders.status = 'left'
    RETURNING call_id`;
  return !!r;
}

/** An invited responder joins; false when they were not invited (or left). Joined already: true again. */
export async function markJoined(tx: Tx, callId: string, staffId: string): Promise<'joined' | 'again' | null> {
  const [r] = await tx<{ was: string }[]>`
    UPDATE call_responders r SET status = 'joined', joined_at = coalesce(r.joined_at, now())
    FROM call_responders old
    WHERE r.call_id = ${callId} AND r.staff_id = ${staffId} AND r.status IN ('invited', 'joined')
      AND old.call_id = r.call_id AND old.staff_id = r.staff_id
    RETURNING old.status AS was`;
  if (!r) return null;
  return r.was === 'joined' ? 'again' : 'joined';
}

export async function markLeft(tx: Sql | Tx, callId: string, staffId: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE call_responders SET status = 'left', left_at = now()
    WHERE call_id = ${callId} AND staff_id = ${staffId} AND status <> 'left' RETURNING call_id`;
  return !!r;
}

/**
 * Warm transfer: the call's owner becomes `to`, only if `from` still owns it, it is live and `to`
 * has joined. The old owner is kept as a responder who left; the new one stops being a responder.
 */
export async function transferOwner(tx: Tx, callId: string, from: string, to: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE calls SET answered_by = ${to}
    WHERE id = ${callId} AND answered_by = ${from} AND status = 'answered'
      AND EXISTS (SELECT 1 FROM call_responders WHERE call_id = ${callId} AND staff_id = ${to} AND status = 'joined')
    RETURNING id`;
  if (!r) return false;
  await tx`DELETE FROM call_responders WHERE call_id = ${callId} AND staff_id = ${to}`;
  await tx`
    INSERT INTO call_responders (call_id, staff_id, invited_by, note, status, joined_at, left_at)
    VALUES (${callId}, ${from}, NULL, NULL, 'left', now(), now())
    ON CONFLICT (call_id, staff_id) DO UPDATE SET status = 'left', left_at = now()`;
  return true;
}
