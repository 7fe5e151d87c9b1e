// All SQL of the silent SOS: the call's text chat and its silent flag.
import type { Sql, Tx } from '../db/client.ts';
import type { ChatMessageView, QuickReply } from '@tram/contracts';

interface MessageRow {
  id: string;
  at: Date;
  sender_kind: 'resident' | 'staff';
  sender_name: string;
  text: string;
  quick: QuickReply | null;
}

const view = (r: MessageRow): ChatMessageView => ({
  id: String(r.id),
  at: r.at.toISOString(),
  from: r.sender_kind,
  name: r.sender_name,
  text: r.text,
  quick: r.quick,
});

/** Stores a message once per (call, sender, key); null when that key was already used. */
export async function insertMessage(
  tx: Tx,
  m: { callId: string; key: string; sender: string; kind: 'resident' | 'staff'; name: string; text: string; quick: QuickReply | null },
): Promise<ChatMessageView | null> {
  const [r] = await tx<MessageRow[]>`
    INSERT INTO call_messages (call_id, idempotency_key, sender, sender_kind, sender_name, text, quick)
    VALUES (${m.callId}, ${m.key}, ${m.sender}, ${m.kind}, ${m.name}, ${m.text}, ${m.quick})
    ON CONFLICT (call_id, sender, idempotency_key) DO NOTHING
    RETURNING id, at, sender_kind, sender_name, text, quick`;
  return r ? view(r) : null;
}

export async function messageByKey(sql: Sql | Tx, callId: string, sender: string, key: string): Promise<ChatMessageView | undefined> {
  const [r] = await sql<MessageRow[]>`
    SELECT id, at, sender_kind, sender_name, text, quick FROM call_messages
    WHERE call_id = ${callId} AND sender = ${sender} AND idempotency_key = ${key}`;
  return r && view(r);
}

export async function messagesOf(sql: Sql, callId: string): Promise<ChatMessageView[]> {
  const rows = await sql<MessageRow[]>`
    SELECT id, at, sender_kind, sender_name, text, quick FROM call_messages WHERE call_id = ${callId} ORDER BY id`;
  return rows.map(view);
}

/** Turns the call silent; false when it already was (or is over, or not the station's). */
export async function markSilent(tx: Tx, callId: string, stationId: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE calls SET silent = true WHERE id = ${callId} AND station_id = ${stationId} AND status <> 'ended' AND NOT silent RETURNING id`;
  return !!r;
}

export async function isSilent(sql: Sql | Tx, callId: string): Promise<boolean> {
  const [r] = await sql<{ silent: boolean }[]>`SELECT silent FROM calls WHERE id = ${callId}`;
  return !!r?.silent;
}
