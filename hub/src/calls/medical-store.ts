// All SQL of the medical handover a doctor attaches to an emergency call (readable only by the
// officer who answered it).
import type { Sql, Tx } from '../db/client.ts';
import type { ConsultReason, LatestVital } from '@tram/contracts';

export interface HandoverRow {
  call_id: string;
  consult_id: string;
  citizen_id: string;
  clinician_name: string | null;
  reason: ConsultReason | null;
  vitals: { list?: LatestVital[]; text?: string };
  created_at: Date;
}

export async function insertHandover(
  sql: Sql | Tx,
  h: { callId: string; consultId: string; citizenId: string; clinicianId: string; vitals: LatestVital[] },
): Promise<void> {
  await sql`
    INSERT INTO call_medical_handovers (call_id, consult_id, citizen_id, clinician_id, vitals)
    VALUES (${h.callId}, ${h.consultId}, ${h.citizenId}, ${h.clinicianId}, ${sql.json({ list: h.vitals } as never)})
    ON CONFLICT (call_id) DO NOTHING`;
}

export async function handoverOf(sql: Sql | Tx, callId: string): Promise<HandoverRow | undefined> {
  const [r] = await sql<HandoverRow[]>`
    SELECT h.call_id, h.consult_id, h.citizen_id, s.display_name AS clinician_name, co.reason, h.vitals, h.created_at
    FROM call_medical_handovers h LEFT JOIN staff s ON s.id = h.clinician_id LEFT JOIN consults co ON co.id = h.consult_id
    WHERE h.call_id = ${callId}`;
  return r;
}
