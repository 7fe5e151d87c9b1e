// Active Authentication, reader side (ICAO 9303-11 §6.1): send a fresh 8-byte challenge in
// INTERNAL AUTHENTICATE (under secure messaging) and return the chip's signature. The hub
// verifies it against DG15, so the challenge should come from the hub (or be sent to it).
import { randomBytes } from 'node:crypto';
import { requireStatus } from './apdu.ts';
import { ApduError } from './errors.ts';
import type { ApduChannel } from './transport.ts';

export const AA_CHALLENGE_LENGTH = 8;

export function newChallenge(): Uint8Array {
  return Uint8Array.from(randomBytes(AA_CHALLENGE_LENGTH));
}

/** 00 88 00 00 08 <challenge> 00; resolves with the signature bytes. */
export async function internalAuthenticate(channel: ApduChannel, challenge: Uint8Array): Promise<Uint8Array> {
  if (challenge.length !== AA_CHALLENGE_LENGTH) throw new ApduError('bad-command', `AA challenge must be 8 bytes, got ${challenge.length}`);
  const res = requireStatus(await channel.send({ cla: 0x00, ins: 0x88, p1: 0x00, p2: 0x00, data: challenge, ne: 256 }), 'INTERNAL AUTHENTICATE');
  if (res.data.length === 0) throw new ApduError('bad-response', 'INTERNAL AUTHENTICATE returned no signature');
  return res.data;
}
