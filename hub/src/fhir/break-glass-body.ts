// The body of POST /fhir/$break-glass: a Parameters resource (patient as a reference or a CCCD
// identifier, and the reason) or the same as plain JSON { patient | identifier, reason }.
import { CCCD } from './profiles.ts';
import { SearchError } from './search.ts';
import type { BreakGlassRequest } from './access.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MIN_REASON = 10;

type Param = {
  name?: string;
  valueString?: string;
  valueReference?: { reference?: string };
  valueIdentifier?: { system?: string; value?: string };
};

export function breakGlassRequest(body: unknown): BreakGlassRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  let patient: unknown, identifier: unknown, reason: unknown;
  if (b.resourceType === 'Parameters') {
    const ps = (Array.isArray(b.parameter) ? b.parameter : []) as Param[];
    const p = ps.find((x) => x.name === 'patient'),
      i = ps.find((x) => x.name === 'identifier');
    patient = p?.valueReference?.reference ?? p?.valueString;
    identifier = i?.valueIdentifier ? (i.valueIdentifier.system === CCCD ? i.valueIdentifier.value : '') : i?.valueString;
    reason = ps.find((x) => x.name === 'reason')?.valueString;
  } else ({ patient, identifier, reason } = b);
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON || reason.length > 500)
    throw new SearchError(`reason: say why you need this record (${MIN_REASON}..500 characters)`);
  const id = typeof patient === 'string' ? patient.replace(/^Patient\//, '') : undefined;
  if (id !== undefined && !UUID.test(id)) throw new SearchError('patient: not a Patient id');
  if (identifier !== undefined && (typeof identifier !== 'string' || !/^\d{12}$/.test(identifier)))
    throw new SearchError('identifier: not a 12-digit CCCD number');
  if (!id === !identifier) throw new SearchError('Give exactly one of patient or identifier');
  return { ...(id ? { patient: id.toLowerCase() } : { identifier: identifier as string }), reason: reason.trim() };
}
