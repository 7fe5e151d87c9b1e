// Patient resources are views of the identity module's citizens (Patient.id = citizen id).
import type { Citizen } from '../identity/store.ts';
import { CCCD } from './profiles.ts';

/** dd/mm/yyyy (as printed on the card) -> FHIR date; partial dates keep what is known. */
function fhirDate(printed: string | null): string | undefined {
  const m = /^(?:(\d{2})\/)?(?:(\d{2})\/)?(\d{4})$/.exec(printed?.trim() ?? '');
  if (!m) return undefined;
  const [, a, b, y] = m;
  if (a && b) return `${y}-${b}-${a}`;
  if (a) return `${y}-${a}`;
  return y;
}

function gender(sex: string | null): 'male' | 'female' | 'unknown' | undefined {
  const s = sex?.trim().toLowerCase();
  if (!s) return undefined;
  if (['m', 'male', 'nam'].includes(s)) return 'male';
  if (['f', 'female', 'nữ', 'nu'].includes(s)) return 'female';
  return 'unknown';
}

export function renderPatient(c: Citizen): Record<string, unknown> {
  const birthDate = fhirDate(c.dateOfBirth),
    g = gender(c.sex);
  return {
    resourceType: 'Patient',
    id: c.id,
    identifier: [{ use: 'official', system: CCCD, value: c.idNumber }],
    active: true,
    name: [{ use: 'official', text: c.fullName }],
    ...(g ? { gender: g } : {}),
    ...(birthDate ? { birthDate } : {}),
  };
}
