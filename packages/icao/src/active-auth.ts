// Active Authentication (ICAO 9303-11 §6.1): the chip signs the terminal's 8-byte challenge with
// the private key matching DG15's public key, proving the chip is not a copy (DG15 itself is
// covered by Passive Authentication). RSA uses ISO/IEC 9796-2 digital signature scheme 1 with
// partial message recovery (M2 = challenge); ECDSA signatures are plain r‖s (BSI TR-03111).
import { createHash, type KeyObject } from 'node:crypto';
import { bigIntToBytes, bytesToBigInt, oidOf, TAG } from './der.ts';
import { IcaoError } from './errors.ts';
import { importPublicKey } from './public-key.ts';
import { ECDSA_PLAIN, verifySignature } from './signature.ts';
import { childrenOf, expectTlv, type Tlv } from './tlv.ts';

const DG15_TAG = 0x6f;
const DG14_TAG = 0x6e;
const OID_ACTIVE_AUTHENTICATION = '2.23.136.1.1.5';

export class ActiveAuthError extends IcaoError {}

export interface ActiveResult {
  ok: boolean;
  /** e.g. 'rsa-iso9796-2-sha1', 'ecdsa-sha256'; '' when DG15 could not be used. */
  algorithm: string;
  /** Why ok is false: 'dg15_malformed', 'unsupported_key', 'bad_challenge', 'signature_invalid'. */
  failure?: string;
}

/** DG15: 6F { SubjectPublicKeyInfo } -> the chip's AA public key. */
export function parseDg15(dg15: Uint8Array): KeyObject {
  const outer = expectTlv(dg15, DG15_TAG);
  const [spki, ...rest] = childrenOf(outer);
  if (!spki || spki.tag !== TAG.SEQUENCE || rest.length > 0) throw new ActiveAuthError('DG15 does not hold one SubjectPublicKeyInfo');
  return importPublicKey(outer.value);
}

/** The signature algorithm OID from DG14's ActiveAuthenticationInfo, if present (ECDSA chips only). */
export function activeAuthAlgorithmFromDg14(dg14: Uint8Array): string | undefined {
  const set = childrenOf(expectTlv(dg14, DG14_TAG))[0];
  if (!set || set.tag !== TAG.SET) throw new ActiveAuthError('DG14 does not hold SecurityInfos');
  for (const info of childrenOf(set)) {
    if (info.tag !== TAG.SEQUENCE) continue;
    const [protocol, , algorithm] = childrenOf(info) as (Tlv | undefined)[];
    if (protocol?.tag === TAG.OID && oidOf(protocol) === OID_ACTIVE_AUTHENTICATION && algorithm) return oidOf(algorithm);
  }
  return undefined;
}

const HASH_BY_TRAILER: Readonly<Record<number, string>> = { 0x33: 'sha1', 0x34: 'sha256', 0x35: 'sha512', 0x36: 'sha384', 0x38: 'sha224' };
const HASH_LENGTH: Readonly<Record<string, number>> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

/** ISO/IEC 9796-2 scheme 1 verification with M2 = challenge; returns the hash name on success. */
function verifyRsa9796(key: KeyObject, challenge: Uint8Array, signature: Uint8Array): string | undefined {
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.n || !jwk.e) return undefined;
  const n = bytesToBigInt(Buffer.from(jwk.n, 'base64url'));
  const e = bytesToBigInt(Buffer.from(jwk.e, 'base64url'));
  const s = bytesToBigInt(signature);
  const k = Buffer.from(jwk.n, 'base64url').length;
  if (signature.length !== k || s >= n) return undefined;
  let f = modPow(s, e, n);
  // The signer may have sent min(σ, n−σ); a valid representative ends in nibble C.
  if ((f & 0xfn) !== 0xcn) f = n - f;
  const rep = bigIntToBytes(f, k);
  if ((rep[0]! & 0xc0) !== 0x40) return undefined; // header bits 01
  const partial = (rep[0]! & 0x20) !== 0;
  // Padding: the header's low nibble 'B' continues with BB… up to a nibble 'A'.
  let start = 1;
  if ((rep[0]! & 0x0f) === 0x0b) {
    while (start < rep.length && rep[start] === 0xbb) start++;
    if (rep[start] !== 0xba) return undefined;
    start++;
  } else if ((rep[0]! & 0x0f) !== 0x0a) return undefined;
  let hash: string | undefined;
  let trailer: number;
  if (rep[k - 1] === 0xbc) {
    hash = 'sha1';
    trailer = 1;
  } else if (rep[k - 1] === 0xcc) {
    hash = HASH_BY_TRAILER[rep[k - 2]!];
    trailer = 2;
  } else return undefined;
  if (!hash) return undefined;
  const hashEnd = k - trailer;
  const hashStart = hashEnd - HASH_LENGTH[hash]!;
  if (hashStart < start) return undefined;
  const m1 = rep.subarray(start, hashStart);
  const digest = createHash(hash).update(m1);
  if (partial) digest.update(challenge);
  else if (Buffer.compare(m1, challenge) !== 0) return undefined; // full recovery: M1 is the challenge
  return Buffer.compare(digest.digest(), rep.subarray(hashStart, hashEnd)) === 0 ? hash : undefined;
}

function ecHashForKey(key: KeyObject): string {
  const bits = (key.asymmetricKeyDetails?.namedCurve ?? '').match(/(\d{3})/)?.[1];
  switch (bits) {
    case '224':
      return 'sha224';
    case '256':
      return 'sha256';
    case '384':
      return 'sha384';
    case '512':
    case '521':
      return 'sha512';
    default:
      return 'sha1'; // 160/192-bit curves
  }
}

/**
 * Verifies an INTERNAL AUTHENTICATE response. `options.dg14` (the raw DG14 file) selects the
 * ECDSA hash via ActiveAuthenticationInfo; without it the hash follows the key size.
 */
export function verifyActive(
  dg15: Uint8Array,
  challenge: Uint8Array,
  signature: Uint8Array,
  options: { dg14?: Uint8Array } = {},
): ActiveResult {
  let key: KeyObject;
  try {
    key = parseDg15(dg15);
  } catch {
    return { ok: false, algorithm: '', failure: 'dg15_malformed' };
  }
  if (challenge.length !== 8) return { ok: false, algorithm: '', failure: 'bad_challenge' };
  try {
    if (key.asymmetricKeyType === 'rsa') {
      const hash = verifyRsa9796(key, challenge, signature);
      return hash
        ? { ok: true, algorithm: `rsa-iso9796-2-${hash}` }
        : { ok: false, algorithm: 'rsa-iso9796-2', failure: 'signature_invalid' };
    }
    if (key.asymmetricKeyType === 'ec') {
      const aaOid = options.dg14 ? activeAuthAlgorithmFromDg14(options.dg14) : undefined;
      const hash = aaOid ? ECDSA_PLAIN[aaOid] : ecHashForKey(key);
      if (!hash) return { ok: false, algorithm: 'ecdsa', failure: 'unsupported_key' };
      const oid = Object.keys(ECDSA_PLAIN).find((o) => ECDSA_PLAIN[o] === hash)!;
      const ok = verifySignature({ oid }, key, challenge, signature);
      return ok ? { ok, algorithm: `ecdsa-${hash}` } : { ok, algorithm: `ecdsa-${hash}`, failure: 'signature_invalid' };
    }
    return { ok: false, algorithm: key.asymmetricKeyType ?? '', failure: 'unsupported_key' };
  } catch {
    return { ok: false, algorithm: key.asymmetricKeyType ?? '', failure: 'signature_invalid' };
  }
}
