// Decides whether a card read is a genuine document: the hub re-verifies what the agent read
// (Passive Authentication against its own CSCA trust store, Active Authentication over a challenge
// it issued) and derives the identity from the verified data groups, never from agent claims.
import { verifyPassive, loadCscaStore, type CscaStore } from '@tram/icao/passive-auth.ts';
import { verifyActive } from '@tram/icao/active-auth.ts';
import { parseDg1 } from '@tram/icao/dg1.ts';
import { parseDg13 } from '@tram/icao/dg13.ts';
import { checkExpiry } from '@tram/icao/expiry.ts';

export interface Evidence {
  access: 'BAC' | 'PACE';
  sod: Uint8Array;
  dataGroups: Map<number, Uint8Array>;
  activeAuth?: { challenge: Uint8Array; signature: Uint8Array };
}

export interface Checks {
  access: 'BAC' | 'PACE';
  passiveAuthentication: 'passed';
  activeAuthentication: 'passed' | 'not_supported';
  hashAlgorithm: string;
  documentSigner?: string;
}

export type Verdict =
  | { ok: true; checks: Checks; identity: { idNumber: string; fullName: string; dateOfBirth: string | null; sex: string | null } }
  | { ok: false; failures: string[] };

/** Our test PKI (packages/testing, the demo station): anyone with this repository can sign "genuine" cards. */
const TEST_PKI = /(^|,)O=Tram Test PKI(,|$)/;

export class TrustStoreError extends Error {}

/**
 * Loads and checks the CSCA trust store: called at hub start so a bad CSCA_PATHS stops the hub
 * with a clear message instead of failing each card later. In production the test CSCA is refused.
 */
export function loadTrustStore(paths: string[], production: boolean): CscaStore | null {
  if (paths.length === 0) return null;
  let store: CscaStore;
  try {
    store = loadCscaStore(paths);
  } catch (err) {
    throw new TrustStoreError(`CSCA_PATHS is unusable: ${(err as Error).message}`);
  }
  const test = store.certificates.find((c) => TEST_PKI.test(c.subjectText));
  if (production && test)
    throw new TrustStoreError(
      `CSCA_PATHS holds the Trạm test CSCA (${test.subjectText}), which signs the demo's made-up cards; it is refused when NODE_ENV=production`,
    );
  cached = { key: paths.join(','), store };
  return store;
}

let cached: { key: string; store: CscaStore } | undefined;
export function trustStore(paths: string[], production = false): CscaStore | null {
  if (paths.length === 0) return null;
  if (cached?.key !== paths.join(',')) return loadTrustStore(paths, production);
  return cached.store;
}

export function verifyDocument(e: Evidence, store: CscaStore, now: Date = new Date()): Verdict {
  const dg1 = e.dataGroups.get(1),
    dg13 = e.dataGroups.get(13),
    dg15 = e.dataGroups.get(15),
    dg14 = e.dataGroups.get(14);
  if (!dg1 || !dg13) return { ok: false, failures: ['missing_data_group'] };
  const pa = verifyPassive(e.sod, e.dataGroups, store, now);
  if (!pa.ok) return { ok: false, failures: pa.failures };
  // The signed SOD, not the agent (nor the unsigned EF.COM), says whether the chip has an AA key:
  // a clone that leaves DG15 out must not pass as a chip without one.
  if (pa.listedGroups.includes(15) && !dg15) return { ok: false, failures: ['dg15_missing'] };
  if (pa.listedGroups.includes(14) && dg15 && !dg14) return { ok: false, failures: ['dg14_missing'] };
  let active: Checks['activeAuthentication'] = 'not_supported';
  if (dg15) {
    // A chip that has an AA key must prove it holds it, or it may be a clone.
    if (!e.activeAuth) return { ok: false, failures: ['active_auth_missing'] };
    const aa = verifyActive(dg15, e.activeAuth.challenge, e.activeAuth.signature, dg14 ? { dg14 } : {});
    if (!aa.ok) return { ok: false, failures: [`active_auth_failed${aa.failure ? `:${aa.failure}` : ''}`] };
    active = 'passed';
  }
  let mrz: ReturnType<typeof parseDg1>;
  let personal: ReturnType<typeof parseDg13>;
  try {
    mrz = parseDg1(dg1);
    personal = parseDg13(dg13);
  } catch {
    return { ok: false, failures: ['data_group_malformed'] };
  }
  const idNumber = personal.idNumber ?? mrz.cccdIdNumber;
  if (!idNumber || !/^[0-9]{12}$/.test(idNumber)) return { ok: false, failures: ['id_number_missing'] };
  // On the CCCD the MRZ document number is the last 9 digits of the ID number.
  if (mrz.documentNumber !== idNumber.slice(3)) return { ok: false, failures: ['mrz_dg13_mismatch'] };
  const expiry = checkExpiry(mrz.dateOfExpiry, personal.dateOfExpiry, now);
  if (expiry.expired) return { ok: false, failures: [`document_expired:${expiry.expiry}`] };
  return {
    ok: true,
    checks: {
      access: e.access,
      passiveAuthentication: 'passed',
      activeAuthentication: active,
      hashAlgorithm: pa.hashAlgorithm,
      documentSigner: pa.signer?.subject,
    },
    identity: {
      idNumber,
      fullName: personal.fullName ?? `${mrz.secondaryIdentifier} ${mrz.primaryIdentifier}`.trim(),
      dateOfBirth: personal.dateOfBirth ?? null,
      sex: personal.sex ?? null,
    },
  };
}
