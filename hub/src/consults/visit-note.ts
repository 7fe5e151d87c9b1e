// The visit note as FHIR R4: the consult's own Encounter (virtual, part of the station session's
// Encounter) closed, and a ClinicalImpression with the reason, findings, advice and referral.
import type { z } from 'zod';
import type { visitNoteBody } from '@tram/contracts';
import type { Staff } from '../auth/staff.ts';
import type { UpsertRow } from '../fhir/store.ts';
import type { ConsultRow } from './store.ts';

export type VisitNote = z.infer<typeof visitNoteBody>;

const REFERRAL_TEXT: Record<VisitNote['referral'], string> = {
  none: 'Không cần khám trực tiếp / No in-person visit needed',
  in_person: 'Cần khám trực tiếp / In-person visit needed',
  emergency: 'Chuyển cấp cứu / Emergency referral',
};

/**
 * The consult's Encounter and ClinicalImpression, as rows for the FHIR store: in progress while
 * the note is saved during the call, finished and completed once the consult ends.
 */
export function visitNoteResources(
  c: ConsultRow,
  clinician: Pick<Staff, 'displayName'>,
  note: VisitNote,
  final: boolean,
  at = new Date(),
): UpsertRow[] {
  const now = at.toISOString();
  const start = (c.accepted_at ?? c.created_at).toISOString();
  const encounter = {
    resourceType: 'Encounter',
    id: c.id,
    status: final ? 'finished' : 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
    type: [{ text: 'Khám từ xa / Video consult' }],
    subject: { reference: `Patient/${c.citizen_id}` },
    participant: [{ individual: { display: clinician.displayName } }],
    period: final ? { start, end: now } : { start },
    reasonCode: [{ text: note.reason }],
    partOf: { reference: `Encounter/${c.session_id}` },
  };
  const impression = {
    resourceType: 'ClinicalImpression',
    id: c.id,
    status: final ? 'completed' : 'in-progress',
    subject: { reference: `Patient/${c.citizen_id}` },
    encounter: { reference: `Encounter/${c.id}` },
    effectiveDateTime: now,
    date: now,
    assessor: { display: clinician.displayName },
    description: note.reason,
    summary: note.advice,
    ...(note.findings ? { finding: [{ itemCodeableConcept: { text: note.findings } }] } : {}),
    note: [{ text: `${REFERRAL_TEXT[note.referral]}` }],
    extension: [{ url: 'https://tram.vn/fhir/StructureDefinition/referral', valueCode: note.referral }],
  };
  return [
    { type: 'Encounter', id: c.id, stationId: c.station_id, patientId: c.citizen_id, resource: encounter },
    { type: 'ClinicalImpression', id: c.id, stationId: c.station_id, patientId: c.citizen_id, resource: impression },
  ];
}
