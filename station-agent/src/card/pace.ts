// PACE (ICAO 9303-11 §4.4) with ECDH Generic Mapping, terminal side: EF.CardAccess PACEInfo,
// MSE:Set AT, the four GENERAL AUTHENTICATE steps (nonce, mapping, key agreement, tokens),
// then AES secure messaging with a 16-byte SSC starting at zero.
// Curve arithmetic uses @noble/curves because Generic Mapping needs point addition (s·G + H).
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { bytesToBigInt, decodeOid, encodeOid, TAG, unsignedIntegerOf } from '@tram/icao/der.ts';
import { childrenOf, encodeTlv, expectTlv, findTlv, type Tlv } from '@tram/icao/tlv.ts';
import { type CommandApdu, encodeCommandApdu, parseResponseApdu, requireStatus } from './apdu.ts';
import { type RandomSource, secureRandom } from './bac.ts';
import { concat, equalBytes } from './bytes.ts';
import { aesCmac } from './cmac.ts';
import { asAuthentication, CardError, TlvError } from './errors.ts';
import { deriveKey, KDF_ENC, KDF_MAC, KDF_PACE, type KeyAlgorithm } from './kdf.ts';
import { SecureChannel } from './secure-messaging.ts';
import { aesSecureMessaging } from './sm-aes.ts';
import type { Transport } from './transport.ts';

export type PaceErrorCode = 'no-pace-info' | 'unsupported' | 'bad-response' | 'bad-point' | 'bad-token';

export class PaceError extends CardError {
  constructor(
    readonly code: PaceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const PACE_PREFIX = '0.4.0.127.0.7.2.2.4.';
/** id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 (BSI TR-03110-3 / 9303-11 §9.2.1). */
export const PACE_ECDH_GM_AES: Readonly<Record<string, KeyAlgorithm>> = {
  '0.4.0.127.0.7.2.2.4.2.2': 'aes128',
  '0.4.0.127.0.7.2.2.4.2.3': 'aes192',
  '0.4.0.127.0.7.2.2.4.2.4': 'aes256',
};

type Curve = typeof brainpoolP256r1;
/** Standardized domain parameter ids (9303-11 §9.5.1) for the ECDH curves we support. */
export const PACE_CURVES: Readonly<Record<number, { name: string; curve: Curve }>> = {
  12: { name: 'P-256', curve: p256 as unknown as Curve },
  13: { name: 'brainpoolP256r1', curve: brainpoolP256r1 },
  15: { name: 'P-384', curve: p384 as unknown as Curve },
  16: { name: 'brainpoolP384r1', curve: brainpoolP384r1 },
  17: { name: 'brainpoolP512r1', curve: brainpoolP512r1 },
  18: { name: 'P-521', curve: p521 as unknown as Curve },
};

export interface PaceInfo {
  protocol: string;
  version: number;
  parameterId?: number;
}

/** PACEInfo entries of EF.CardAccess (a SET OF SecurityInfo); other SecurityInfos are skipped. */
export function parsePaceInfos(cardAccess: Uint8Array): PaceInfo[] {
  try {
    const out: PaceInfo[] = [];
    for (const info of childrenOf(expectTlv(cardAccess, TAG.SET))) {
      if (info.tag !== TAG.SEQUENCE) continue;
      const [oid, version, param] = childrenOf(info) as (Tlv | undefined)[];
      if (oid?.tag !== TAG.OID) continue;
      const protocol = decodeOid(oid.value);
      // PACEInfo OIDs are id-PACE.<mapping>.<cipher>; PACEDomainParameterInfo has one arc more after 'id-PACE'.
      if (!protocol.startsWith(PACE_PREFIX) || protocol.split('.').length !== 11) continue;
      const pi: PaceInfo = { protocol, version: Number(unsignedIntegerOf(version)) };
      if (param) pi.parameterId = Number(unsignedIntegerOf(param));
      out.push(pi);
    }
    return out;
  } catch (err) {
    if (err instanceof TlvError) throw new PaceError('bad-response', `EF.CardAccess: ${err.message}`);
    throw err;
  }
}

/** The first PACEInfo this implementation can run (ECDH-GM with AES, version 2, a known curve). */
export function selectPaceInfo(infos: readonly PaceInfo[]): PaceInfo & { parameterId: number } {
  const usable = infos.find(
    (i) => PACE_ECDH_GM_AES[i.protocol] && i.version === 2 && i.parameterId !== undefined && PACE_CURVES[i.parameterId],
  );
  if (!usable)
    throw new PaceError('unsupported', `no supported PACE protocol in ${infos.map((i) => i.protocol).join(', ') || 'EF.CardAccess'}`);
  return usable as PaceInfo & { parameterId: number };
}

export type PacePassword = { can: string } | { mrzInformation: string };

/** Password reference for MSE:Set AT: 01 MRZ, 02 CAN. */
export function passwordReference(pw: PacePassword): number {
  return 'can' in pw ? 0x02 : 0x01;
}

/** Kπ = KDF(f(π), 3): f is SHA-1 of MRZ_information for MRZ, the CAN's characters for CAN. */
export function passwordKey(pw: PacePassword, alg: KeyAlgorithm): Uint8Array {
  const seed =
    'can' in pw ? new TextEncoder().encode(pw.can) : new Uint8Array(createHash('sha1').update(pw.mrzInformation, 'latin1').digest());
  return deriveKey(seed, KDF_PACE, alg);
}

/** The nonce is a single AES-CBC encryption under Kπ with a zero IV (9303-11 §4.4.3.3). */
export function nonceCipher(kPi: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  const alg = `aes-${kPi.length * 8}-cbc`;
  const iv = new Uint8Array(16);
  const c = encrypt ? createCipheriv(alg, kPi, iv) : createDecipheriv(alg, kPi, iv);
  c.setAutoPadding(false);
  return Uint8Array.from(Buffer.concat([c.update(data), c.final()]));
}

/** MSE:Set AT selecting PACE with the given protocol and password. */
export function mseSetAtCommand(info: PaceInfo, pw: PacePassword): CommandApdu {
  const oid = encodeOid(info.protocol).subarray(2); // DO'80' carries the OID value only
  return {
    cla: 0x00,
    ins: 0x22,
    p1: 0xc1,
    p2: 0xa4,
    data: concat(encodeTlv(0x80, oid), encodeTlv(0x83, Uint8Array.of(passwordReference(pw)))),
  };
}

/** GENERAL AUTHENTICATE with a dynamic authentication data object; all but the last are chained (CLA 10). */
export function generalAuthenticateCommand(data: Uint8Array, last: boolean): CommandApdu {
  return { cla: last ? 0x00 : 0x10, ins: 0x86, p1: 0x00, p2: 0x00, data: encodeTlv(0x7c, data), ne: 256 };
}

/** The 7F49 public key data object the authentication tokens are computed over. */
export function authTokenInput(protocol: string, publicPoint: Uint8Array): Uint8Array {
  return encodeTlv(0x7f49, [encodeOid(protocol), encodeTlv(0x86, publicPoint)]);
}

export function authToken(ksMac: Uint8Array, protocol: string, publicPoint: Uint8Array): Uint8Array {
  return aesCmac(ksMac, authTokenInput(protocol, publicPoint)).slice(0, 8);
}

type Point = ReturnType<Curve['Point']['fromBytes']>;

/** Scalar in [1, n-1] from random bytes (reject-and-retry keeps it uniform). */
export function randomScalar(curve: Curve, random: RandomSource): bigint {
  const n = curve.Point.Fn.ORDER;
  const len = curve.Point.Fn.BYTES;
  for (let i = 0; i < 64; i++) {
    const k = bytesToBigInt(random(len));
    if (k > 0n && k < n) return k;
  }
  throw new PaceError('bad-point', 'could not draw a private key');
}

export function decodePoint(curve: Curve, bytes: Uint8Array): Point {
  try {
    const p = curve.Point.fromBytes(bytes); // checks the point is on the curve
    if (p.is0()) throw new Error('point at infinity');
    return p;
  } catch (err) {
    throw new PaceError('bad-point', `invalid public key point: ${(err as Error).message}`);
  }
}

/** Generic Mapping: G' = s·G + H, where H is the ECDH shared point of the mapping keys. */
export function mapGenerator(curve: Curve, nonce: Uint8Array, h: Point): Point {
  const s = bytesToBigInt(nonce) % curve.Point.Fn.ORDER;
  const g = curve.Point.BASE.multiply(s).add(h);
  if (g.is0()) throw new PaceError('bad-point', 'mapped generator is the point at infinity');
  return g;
}

export const xCoordinate = (p: Point, curve: Curve) => p.toBytes(false).subarray(1, 1 + curve.Point.Fp.BYTES);

async function exchange(transport: Transport, cmd: CommandApdu, what: string): Promise<Tlv[]> {
  const res = requireStatus(parseResponseApdu(await transport.transmit(encodeCommandApdu(cmd))), what);
  try {
    return childrenOf(expectTlv(res.data, 0x7c));
  } catch (err) {
    if (err instanceof TlvError) throw new PaceError('bad-response', `${what}: ${err.message}`);
    throw err;
  }
}

function requireDo(items: Tlv[], tag: number, what: string): Uint8Array {
  const t = findTlv(items, tag);
  if (!t) throw new PaceError('bad-response', `${what}: missing data object ${tag.toString(16)}`);
  return t.value;
}

export interface PaceResult {
  channel: SecureChannel;
  protocol: string;
  parameterId: number;
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
}

/**
 * Runs PACE and returns an AES secure channel. `cardAccess` is EF.CardAccess as read in the
 * clear. Randomness (mapping then ephemeral private key) is injectable for test vectors.
 * A wrong password surfaces as the chip's status word (StatusError) at the token step.
 */
export async function performPace(
  transport: Transport,
  cardAccess: Uint8Array,
  pw: PacePassword,
  random: RandomSource = secureRandom,
): Promise<PaceResult> {
  const info = selectPaceInfo(parsePaceInfos(cardAccess));
  const alg = PACE_ECDH_GM_AES[info.protocol]!;
  const { curve } = PACE_CURVES[info.parameterId]!;
  requireStatus(parseResponseApdu(await transport.transmit(encodeCommandApdu(mseSetAtCommand(info, pw)))), 'MSE:Set AT');

  // 1. encrypted nonce
  const z = requireDo(
    await exchange(transport, generalAuthenticateCommand(new Uint8Array(0), false), 'GENERAL AUTHENTICATE (nonce)'),
    0x80,
    'nonce',
  );
  if (z.length === 0 || z.length % 16 !== 0) throw new PaceError('bad-response', `encrypted nonce of ${z.length} bytes`);
  const s = nonceCipher(passwordKey(pw, alg), z, false);

  // 2. mapping
  const mapSk = randomScalar(curve, random);
  const mapPk = curve.Point.BASE.multiply(mapSk).toBytes(false);
  const chipMapPk = decodePoint(
    curve,
    requireDo(
      await exchange(transport, generalAuthenticateCommand(encodeTlv(0x81, mapPk), false), 'GENERAL AUTHENTICATE (map)'),
      0x82,
      'mapping key',
    ),
  );
  const g = mapGenerator(curve, s, chipMapPk.multiply(mapSk));

  // 3. key agreement on the mapped generator
  const ephSk = randomScalar(curve, random);
  const ephPk = g.multiply(ephSk).toBytes(false);
  const chipEphBytes = requireDo(
    await exchange(transport, generalAuthenticateCommand(encodeTlv(0x83, ephPk), false), 'GENERAL AUTHENTICATE (key agreement)'),
    0x84,
    'ephemeral key',
  );
  const chipEph = decodePoint(curve, chipEphBytes);
  if (equalBytes(chipEph.toBytes(false), ephPk)) throw new PaceError('bad-point', 'chip echoed the terminal ephemeral key');
  const k = xCoordinate(chipEph.multiply(ephSk), curve);
  const ksEnc = deriveKey(k, KDF_ENC, alg);
  const ksMac = deriveKey(k, KDF_MAC, alg);

  // 4. mutual authentication tokens over the other side's ephemeral key
  const tIfd = authToken(ksMac, info.protocol, chipEph.toBytes(false));
  const tIc = requireDo(
    await asAuthentication(() =>
      exchange(transport, generalAuthenticateCommand(encodeTlv(0x85, tIfd), true), 'GENERAL AUTHENTICATE (tokens)'),
    ),
    0x86,
    'chip token',
  );
  if (!equalBytes(tIc, authToken(ksMac, info.protocol, ephPk)))
    throw new PaceError('bad-token', 'chip authentication token does not verify');

  return {
    channel: new SecureChannel(transport, aesSecureMessaging(ksEnc, ksMac)),
    protocol: info.protocol,
    parameterId: info.parameterId,
    ksEnc,
    ksMac,
  };
}
