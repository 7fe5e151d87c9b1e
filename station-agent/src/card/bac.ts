// Basic Access Control (ICAO 9303-11 §4.3): keys from the MRZ, mutual authentication,
// session keys and the starting SSC. Randomness is injectable so the Appendix D
// worked example can be replayed exactly.
import { createHash, randomBytes } from 'node:crypto';
import { type CommandApdu, encodeCommandApdu, parseResponseApdu, requireStatus } from './apdu.ts';
import { concat, equalBytes, fromBuffer, xor } from './bytes.ts';
import { tdesCbcDecrypt, tdesCbcEncrypt, retailMac } from './des.ts';
import { asAuthentication, BacError } from './errors.ts';
import { deriveKey, KDF_ENC, KDF_MAC } from './kdf.ts';
import { pad } from './padding.ts';
import { SecureChannel } from './secure-messaging.ts';
import { desSecureMessaging } from './sm-des.ts';
import type { Transport } from './transport.ts';

export type RandomSource = (length: number) => Uint8Array;
export const secureRandom: RandomSource = (n) => fromBuffer(randomBytes(n));

export interface BacKeys {
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

/** Kseed = first 16 bytes of SHA-1(MRZ_information). */
export function bacKeySeed(mrzInformation: string): Uint8Array {
  return fromBuffer(createHash('sha1').update(mrzInformation, 'ascii').digest()).slice(0, 16);
}

export function bacKeys(mrzInformation: string): BacKeys {
  const seed = bacKeySeed(mrzInformation);
  return { kEnc: deriveKey(seed, KDF_ENC, '3des'), kMac: deriveKey(seed, KDF_MAC, '3des') };
}

export const GET_CHALLENGE: CommandApdu = { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, ne: 8 };

export interface BacNonces {
  rndIc: Uint8Array; // 8 bytes, from GET CHALLENGE
  rndIfd: Uint8Array; // 8 bytes, ours
  kIfd: Uint8Array; // 16 bytes, our key share
}

function checkNonces(n: BacNonces): void {
  if (n.rndIc.length !== 8) throw new BacError('bad-challenge', `RND.IC must be 8 bytes, got ${n.rndIc.length}`);
  if (n.rndIfd.length !== 8 || n.kIfd.length !== 16) throw new BacError('bad-challenge', 'RND.IFD must be 8 bytes and K.IFD 16');
}

/** EXTERNAL AUTHENTICATE with E_IFD = 3DES(KEnc, RND.IFD‖RND.IC‖K.IFD) and M_IFD = MAC(KMac, E_IFD). */
export function externalAuthenticateCommand(keys: BacKeys, nonces: BacNonces): CommandApdu {
  checkNonces(nonces);
  const s = concat(nonces.rndIfd, nonces.rndIc, nonces.kIfd);
  const eIfd = tdesCbcEncrypt(keys.kEnc, s);
  const mIfd = retailMac(keys.kMac, pad(eIfd, 8));
  return { cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data: concat(eIfd, mIfd), ne: 40 };
}

export interface BacSession {
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  ssc: Uint8Array;
  kIc: Uint8Array;
}

/**
 * Verifies the chip's E_IC‖M_IC (MAC first, then that it echoes both nonces) and derives
 * KSenc/KSmac from K.IFD ⊕ K.IC; SSC = low 4 bytes of RND.IC ‖ low 4 bytes of RND.IFD.
 */
export function completeMutualAuthentication(keys: BacKeys, nonces: BacNonces, response: Uint8Array): BacSession {
  checkNonces(nonces);
  if (response.length !== 40)
    throw new BacError('bad-response-length', `EXTERNAL AUTHENTICATE returned ${response.length} bytes, expected 40`);
  const eIc = response.subarray(0, 32);
  const mIc = response.subarray(32, 40);
  if (!equalBytes(retailMac(keys.kMac, pad(eIc, 8)), mIc))
    throw new BacError('bad-mac', 'chip authentication cryptogram MAC does not verify');
  const r = tdesCbcDecrypt(keys.kEnc, eIc);
  if (!equalBytes(r.subarray(0, 8), nonces.rndIc) || !equalBytes(r.subarray(8, 16), nonces.rndIfd)) {
    throw new BacError('nonce-mismatch', 'chip did not echo RND.IC / RND.IFD');
  }
  const kIc = r.slice(16, 32);
  const seed = xor(nonces.kIfd, kIc);
  return {
    ksEnc: deriveKey(seed, KDF_ENC, '3des'),
    ksMac: deriveKey(seed, KDF_MAC, '3des'),
    ssc: concat(nonces.rndIc.subarray(4, 8), nonces.rndIfd.subarray(4, 8)),
    kIc,
  };
}

/** Runs GET CHALLENGE + EXTERNAL AUTHENTICATE and returns a DES secure channel. */
export async function performBac(
  transport: Transport,
  mrzInformation: string,
  random: RandomSource = secureRandom,
): Promise<SecureChannel> {
  const keys = bacKeys(mrzInformation);
  const challenge = requireStatus(parseResponseApdu(await transport.transmit(encodeCommandApdu(GET_CHALLENGE))), 'GET CHALLENGE');
  if (challenge.data.length !== 8) throw new BacError('bad-challenge', `GET CHALLENGE returned ${challenge.data.length} bytes`);
  const nonces: BacNonces = { rndIc: challenge.data, rndIfd: random(8), kIfd: random(16) };
  const ea = externalAuthenticateCommand(keys, nonces);
  const res = await asAuthentication(async () =>
    requireStatus(parseResponseApdu(await transport.transmit(encodeCommandApdu(ea))), 'EXTERNAL AUTHENTICATE'),
  );
  const session = completeMutualAuthentication(keys, nonces, res.data);
  return new SecureChannel(transport, desSecureMessaging(session.ksEnc, session.ksMac, session.ssc));
}
