// Public keys from SubjectPublicKeyInfo DER as node:crypto KeyObjects.
// ICAO 9303-12 asks for EC keys with *explicit* domain parameters, which OpenSSL 3 and most
// JS libraries refuse; such keys are mapped to the named curve with identical parameters
// and re-encoded as a named-curve SPKI. Unknown explicit curves are refused.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { bitString, bytesToBigInt, encodeOid, oidOf, sequence, TAG, unsignedIntegerOf } from './der.ts';
import { IcaoError } from './errors.ts';
import { childrenOf, expectTlv, type Tlv } from './tlv.ts';

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_PRIME_FIELD = '1.2.840.10045.1.1';

export class KeyError extends IcaoError {
  constructor(message: string) {
    super(message);
  }
}

interface CurveParams {
  p: bigint;
  n: bigint;
  a: bigint;
  b: bigint;
  Gx: bigint;
  Gy: bigint;
}

export interface NamedCurve {
  name: string; // OpenSSL / node name
  oid: string;
  params: CurveParams;
}

export const NAMED_CURVES: readonly NamedCurve[] = [
  { name: 'prime256v1', oid: '1.2.840.10045.3.1.7', params: p256.Point.CURVE() },
  { name: 'secp384r1', oid: '1.3.132.0.34', params: p384.Point.CURVE() },
  { name: 'secp521r1', oid: '1.3.132.0.35', params: p521.Point.CURVE() },
  { name: 'brainpoolP256r1', oid: '1.3.36.3.3.2.8.1.1.7', params: brainpoolP256r1.Point.CURVE() },
  { name: 'brainpoolP384r1', oid: '1.3.36.3.3.2.8.1.1.11', params: brainpoolP384r1.Point.CURVE() },
  { name: 'brainpoolP512r1', oid: '1.3.36.3.3.2.8.1.1.13', params: brainpoolP512r1.Point.CURVE() },
];

/** Named curve whose parameters equal an explicit ECParameters SEQUENCE (9303-12 / RFC 3279). */
export function curveFromExplicitParameters(ecParameters: Tlv): NamedCurve {
  const [version, fieldId, curve, base, order] = childrenOf(ecParameters);
  if (unsignedIntegerOf(version) !== 1n) throw new KeyError('ECParameters version is not 1');
  if (!fieldId || fieldId.tag !== TAG.SEQUENCE || !curve || curve.tag !== TAG.SEQUENCE) throw new KeyError('malformed ECParameters');
  const [fieldType, prime] = childrenOf(fieldId);
  if (oidOf(fieldType) !== OID_PRIME_FIELD) throw new KeyError('only prime-field curves are supported');
  const [a, b] = childrenOf(curve);
  if (!a || a.tag !== TAG.OCTET_STRING || !b || b.tag !== TAG.OCTET_STRING) throw new KeyError('malformed curve coefficients');
  if (!base || base.tag !== TAG.OCTET_STRING || base.length < 1) throw new KeyError('malformed base point');
  const p = unsignedIntegerOf(prime);
  const n = unsignedIntegerOf(order);
  const size = base.value[0] === 0x04 ? (base.length - 1) / 2 : base.length - 1;
  const gx = bytesToBigInt(base.value.subarray(1, 1 + size));
  const gy = base.value[0] === 0x04 ? bytesToBigInt(base.value.subarray(1 + size)) : undefined;
  const match = NAMED_CURVES.find(
    (c) =>
      c.params.p === p &&
      c.params.n === n &&
      c.params.a === bytesToBigInt(a.value) &&
      c.params.b === bytesToBigInt(b.value) &&
      c.params.Gx === gx &&
      (gy === undefined || c.params.Gy === gy),
  );
  if (!match) throw new KeyError('explicit EC parameters match no supported curve');
  return match;
}

/** KeyObject for an SPKI; explicit-parameter EC keys are rebuilt on the matching named curve. */
export function importPublicKey(spki: Uint8Array): KeyObject {
  const [algorithm, subjectPublicKey] = childrenOf(expectTlv(spki, TAG.SEQUENCE));
  if (!algorithm || algorithm.tag !== TAG.SEQUENCE || !subjectPublicKey || subjectPublicKey.tag !== TAG.BIT_STRING) {
    throw new KeyError('malformed SubjectPublicKeyInfo');
  }
  const [oid, params] = childrenOf(algorithm);
  let der = spki;
  if (oidOf(oid) === OID_EC_PUBLIC_KEY && params?.tag === TAG.SEQUENCE) {
    const curve = curveFromExplicitParameters(params);
    if (subjectPublicKey.value[0] !== 0) throw new KeyError('EC public key BIT STRING has unused bits');
    der = sequence(sequence(encodeOid(OID_EC_PUBLIC_KEY), encodeOid(curve.oid)), bitString(subjectPublicKey.value.subarray(1)));
  }
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch (err) {
    throw new KeyError(`unusable public key: ${(err as Error).message}`);
  }
}
