// Signature verification for ICAO PKI objects with node:crypto: RSA PKCS#1 v1.5, RSA-PSS and
// ECDSA (DER or plain r‖s) with SHA-1/224/256/384/512, selected by AlgorithmIdentifier OID.
import { constants, type KeyObject, verify } from 'node:crypto';
import { oidOf, TAG, unsignedIntegerOf } from './der.ts';
import { childrenOf, parseTlv, type Tlv } from './tlv.ts';

export const HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

const RSA_PKCS1: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};
const ECDSA_DER: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
/** BSI TR-03111 ecdsa-plain-SHA* (r‖s signatures), used by some eMRTD AA and SOD signers. */
export const ECDSA_PLAIN: Readonly<Record<string, string>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'sha1',
  '0.4.0.127.0.7.1.1.4.1.2': 'sha224',
  '0.4.0.127.0.7.1.1.4.1.3': 'sha256',
  '0.4.0.127.0.7.1.1.4.1.4': 'sha384',
  '0.4.0.127.0.7.1.1.4.1.5': 'sha512',
};

export interface AlgorithmId {
  oid: string;
  /** Complete DER (tag included) of the parameters field, when present. */
  parameters?: Uint8Array;
}

export class UnsupportedAlgorithmError extends Error {}

interface Pss {
  hash: string;
  saltLength: number;
}

function algorithmOf(t: Tlv): AlgorithmId {
  const [oid, params] = childrenOf(t);
  return params
    ? { oid: oidOf(oid), parameters: t.value.subarray(params.offset, params.offset + params.totalLength) }
    : { oid: oidOf(oid) };
}

/** RSASSA-PSS-params (RFC 4055) with their defaults: SHA-1, MGF1-SHA-1, salt 20, trailer 1. */
export function parsePssParameters(der: Uint8Array | undefined): Pss {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  if (der && der.length > 0) {
    const seq = parseTlv(der);
    if (seq.tag !== TAG.SEQUENCE) throw new UnsupportedAlgorithmError('RSASSA-PSS parameters are not a SEQUENCE');
    for (const field of childrenOf(seq)) {
      const inner = childrenOf(field)[0];
      if (!inner) throw new UnsupportedAlgorithmError('empty RSASSA-PSS parameter');
      if (field.tag === 0xa0) {
        const h = HASH_BY_OID[algorithmOf(inner).oid];
        if (!h) throw new UnsupportedAlgorithmError('unsupported PSS hash');
        hash = h;
      } else if (field.tag === 0xa1) {
        const mgf = algorithmOf(inner);
        if (mgf.oid !== OID_MGF1 || !mgf.parameters) throw new UnsupportedAlgorithmError('unsupported PSS mask generation');
        const h = HASH_BY_OID[algorithmOf(parseTlv(mgf.parameters)).oid];
        if (!h) throw new UnsupportedAlgorithmError('unsupported MGF1 hash');
        mgfHash = h;
      } else if (field.tag === 0xa2) {
        saltLength = Number(unsignedIntegerOf(inner));
      } else if (field.tag === 0xa3) {
        if (unsignedIntegerOf(inner) !== 1n) throw new UnsupportedAlgorithmError('PSS trailer field must be 1');
      } else throw new UnsupportedAlgorithmError('unknown RSASSA-PSS parameter');
    }
  }
  // node:crypto (OpenSSL) uses the message hash for MGF1; other combinations cannot be checked.
  if (mgfHash !== hash) throw new UnsupportedAlgorithmError('PSS with an MGF1 hash different from the message hash');
  return { hash, saltLength };
}

/**
 * Verifies `signature` over `data`. `digest` is the hash to use when the algorithm OID names
 * only the key type (rsaEncryption / id-ecPublicKey in a CMS SignerInfo).
 * Returns false for a wrong signature; throws UnsupportedAlgorithmError for an unknown algorithm.
 */
export function verifySignature(alg: AlgorithmId, key: KeyObject, data: Uint8Array, signature: Uint8Array, digest?: string): boolean {
  const keyType = key.asymmetricKeyType;
  const isRsa = keyType === 'rsa' || keyType === 'rsa-pss';
  const rsaHash = RSA_PKCS1[alg.oid] ?? (alg.oid === OID_RSA_ENCRYPTION ? digest : undefined);
  if (rsaHash) {
    if (keyType !== 'rsa') return false; // a key of another type (or PSS-restricted) never verifies this
    return verify(rsaHash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  }
  if (alg.oid === OID_RSASSA_PSS) {
    if (!isRsa) return false;
    const pss = parsePssParameters(alg.parameters);
    return verify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
  }
  const der = ECDSA_DER[alg.oid] ?? (alg.oid === OID_EC_PUBLIC_KEY ? digest : undefined);
  const plain = ECDSA_PLAIN[alg.oid];
  const ecHash = der ?? plain;
  if (ecHash) {
    if (keyType !== 'ec') return false;
    return verify(ecHash, data, { key, dsaEncoding: plain ? 'ieee-p1363' : 'der' }, signature);
  }
  throw new UnsupportedAlgorithmError(`unsupported signature algorithm ${alg.oid}`);
}
