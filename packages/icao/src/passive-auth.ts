// Passive Authentication (ICAO 9303-11 §5.1, 9303-12): the SOD's CMS signature verifies with
// the Document Signer certificate it carries, that certificate was issued by a trusted CSCA
// and is within its validity, and every data group read hashes to the value the SOD lists.
// Hostile input never throws: anything unparseable is reported as 'sod_malformed'.
import { createHash } from 'node:crypto';
import { type IcaoCertificate, parseCertificate } from './certificate.ts';
import type { CscaStore } from './csca-store.ts';
import { importPublicKey } from './public-key.ts';
import { parseSod, type Sod } from './sod.ts';
import { verifySignature } from './signature.ts';

export { type CscaStore, cscaStoreFromDer, loadCscaStore } from './csca-store.ts';

export interface PassiveResult {
  ok: boolean;
  /** Stable codes: sod_malformed, sod_signature_invalid, ds_certificate_untrusted, ds_certificate_expired, dg_hash_mismatch:<n>, dg_not_in_sod:<n>. */
  failures: string[];
  /** Hash algorithm of the LDS Security Object ('' when the SOD could not be parsed). */
  hashAlgorithm: string;
  signer?: { subject: string; serial: string };
  /** Data groups whose hash was compared with the SOD and matched, ascending. */
  checkedGroups: number[];
  /** Data groups the SOD lists (whether or not they were submitted), ascending: what the chip holds. */
  listedGroups: number[];
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/** Runs `fn`, mapping an exception to false: a key or algorithm we cannot use proves nothing. */
function safely(fn: () => boolean): boolean {
  try {
    return fn();
  } catch {
    return false;
  }
}

function findDocumentSigner(sod: Sod): IcaoCertificate | undefined {
  for (const der of sod.certificates) {
    let cert: IcaoCertificate;
    try {
      cert = parseCertificate(der);
    } catch {
      continue;
    }
    const id = sod.signerId;
    if (
      'subjectKeyId' in id
        ? cert.subjectKeyId && equal(cert.subjectKeyId, id.subjectKeyId)
        : cert.serial === id.serial && equal(cert.issuer, id.issuer)
    ) {
      return cert;
    }
  }
  return undefined;
}

function signatureValid(sod: Sod, ds: IcaoCertificate): boolean {
  if (sod.contentTypeAttr !== sod.eContentType) return false; // RFC 5652 §11.1
  const digest = createHash(sod.signerDigest).update(sod.eContent).digest();
  if (!equal(digest, sod.messageDigest)) return false;
  return safely(() =>
    verifySignature(sod.signatureAlgorithm, importPublicKey(ds.spki), sod.signedAttributes, sod.signature, sod.signerDigest),
  );
}

/** A CSCA with the DS certificate's issuer name (and key id, when both carry one) whose key verifies it. */
function issuedByTrustedCsca(ds: IcaoCertificate, store: CscaStore): boolean {
  return store.certificates.some(
    (csca) =>
      csca.ca &&
      csca.keyCertSign &&
      equal(csca.subject, ds.issuer) &&
      (!csca.subjectKeyId || !ds.authorityKeyId || equal(csca.subjectKeyId, ds.authorityKeyId)) &&
      // Chain model: the CSCA had to be valid when it issued the DS certificate.
      csca.notBefore <= ds.notBefore &&
      ds.notBefore <= csca.notAfter &&
      safely(() => verifySignature(ds.signatureAlgorithm, importPublicKey(csca.spki), ds.tbs, ds.signature)),
  );
}

export function verifyPassive(
  sod: Uint8Array,
  dataGroups: Map<number, Uint8Array>,
  store: CscaStore,
  now: Date = new Date(),
): PassiveResult {
  let parsed: Sod;
  try {
    parsed = parseSod(sod);
  } catch {
    return { ok: false, failures: ['sod_malformed'], hashAlgorithm: '', checkedGroups: [], listedGroups: [] };
  }
  const failures: string[] = [];
  const ds = findDocumentSigner(parsed);
  if (!ds) {
    failures.push('sod_signature_invalid', 'ds_certificate_untrusted');
  } else {
    if (!signatureValid(parsed, ds)) failures.push('sod_signature_invalid');
    if (!issuedByTrustedCsca(ds, store)) failures.push('ds_certificate_untrusted');
    if (now < ds.notBefore || now > ds.notAfter) failures.push('ds_certificate_expired');
  }

  const checkedGroups: number[] = [];
  const { hashAlgorithm, dataGroupHashes } = parsed.lso;
  for (const n of [...dataGroups.keys()].sort((a, b) => a - b)) {
    const expected = dataGroupHashes.get(n);
    if (!expected) {
      failures.push(`dg_not_in_sod:${n}`);
      continue;
    }
    if (equal(createHash(hashAlgorithm).update(dataGroups.get(n)!).digest(), expected)) checkedGroups.push(n);
    else failures.push(`dg_hash_mismatch:${n}`);
  }
  return {
    ok: failures.length === 0,
    failures,
    hashAlgorithm,
    ...(ds ? { signer: { subject: ds.subjectText, serial: ds.serial } } : {}),
    checkedGroups,
    listedGroups: [...dataGroupHashes.keys()].sort((a, b) => a - b),
  };
}
