// For FHIR tests that are not about access: puts a patient in a clinician's care the way a
// clinician outside a consult does it, through the audited break-glass.
import assert from 'node:assert/strict';

export async function breakGlassFor(hubUrl: string, cookie: string, patientId: string): Promise<void> {
  const r = await fetch(`${hubUrl}/fhir/$break-glass`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ patient: patientId, reason: 'test: reading this patient is what the test is about' }),
  });
  assert.equal(r.status, 200, await r.text());
}
