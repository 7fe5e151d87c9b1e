// fhir-kit-client against the hub's FHIR API (same origin: the clinician's session cookie rides
// along). Every call here is an audited read at the hub.
import { Client } from 'fhir-kit-client';

// biome-ignore lint/suspicious/noExplicitAny: FHIR resources as the server sends them, read field by field
type FhirJson = any;

export const fhir = new Client({ baseUrl: `${location.origin}/fhir` });

type Bundle = { entry?: { resource?: FhirJson; response?: { status?: string } }[]; total?: number };

/** The resident's recent vital-sign Observations, newest first. */
export async function observationHistory(patientId: string, count = 100): Promise<Bundle> {
  return (await fhir.search({
    resourceType: 'Observation',
    searchParams: { patient: patientId, category: 'vital-signs', _sort: '-date', _count: count },
  })) as Bundle;
}

/** The latest Observation of each code ($lastn), for polling when the live socket is down. */
export async function lastN(patientId: string): Promise<Bundle> {
  return (await fhir.operation({
    resourceType: 'Observation',
    name: '$lastn',
    method: 'GET',
    input: { patient: patientId, max: 1 },
  })) as Bundle;
}

export interface VisitNote {
  id: string;
  start?: string;
  end?: string;
  reason?: string;
  clinician?: string;
  findings?: string;
  advice?: string;
  referral?: string;
  noteMissing: boolean;
}

/**
 * Earlier video consults (virtual Encounters) with their ClinicalImpressions. The hub gives a
 * consult's Encounter and ClinicalImpression the same id; the impressions come in one batch.
 */
export async function visitNotes(patientId: string, exceptId?: string): Promise<VisitNote[]> {
  const enc = (await fhir.search({ resourceType: 'Encounter', searchParams: { patient: patientId, _count: 50 } })) as Bundle;
  const visits = (enc.entry ?? []).map((e) => e.resource).filter((r) => r?.class?.code === 'VR' && r.id !== exceptId);
  if (!visits.length) return [];
  const batch = (await fhir.batch({
    body: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: visits.map((v) => ({ request: { method: 'GET', url: `ClinicalImpression/${v.id}` } })),
    },
  })) as Bundle;
  return visits
    .map((v, i) => {
      const ci = batch.entry?.[i]?.resource;
      const ok = ci?.resourceType === 'ClinicalImpression';
      return {
        id: v.id,
        start: v.period?.start,
        end: v.period?.end,
        reason: v.reasonCode?.[0]?.text,
        clinician: v.participant?.[0]?.individual?.display,
        findings: ok
          ? ci.finding
              ?.map((f: FhirJson) => f.itemCodeableConcept?.text)
              .filter(Boolean)
              .join('; ')
          : undefined,
        advice: ok ? ci.summary : undefined,
        referral: ok ? ci.extension?.find((x: FhirJson) => x.url?.endsWith('/referral'))?.valueCode : undefined,
        noteMissing: !ok,
      };
    })
    .sort((a, b) => Date.parse(b.end ?? b.start ?? '0') - Date.parse(a.end ?? a.start ?? '0'));
}
