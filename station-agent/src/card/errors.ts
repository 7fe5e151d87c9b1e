// Typed errors for the card layer. Callers branch on `code` (stable strings),
// never on message text, so messages can stay human-oriented.

// The LDS errors (TLV, data groups) live with the parsers in the hub; CardError is their
// common base so `instanceof CardError` still covers every card-layer failure.
import { IcaoError as CardError } from '@tram/icao/errors.ts';

export { IcaoError as CardError, DataGroupError, type DataGroupErrorCode, TlvError, type TlvErrorCode } from '@tram/icao/errors.ts';

export type ApduErrorCode = 'bad-command' | 'bad-response';

export class ApduError extends CardError {
  constructor(
    readonly code: ApduErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The card answered with a status word other than the one(s) the caller accepts. */
export class StatusError extends CardError {
  constructor(
    readonly sw: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The chip refused the step that proves the access key (BAC's EXTERNAL AUTHENTICATE, PACE's
 * token exchange): whatever status word a chip picks for this (6300, 6982, 6988…), the key was wrong.
 */
export class AuthenticationRefused extends StatusError {}

/** Runs an access-key proof step, turning any status refusal into AuthenticationRefused. */
export async function asAuthentication<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof StatusError && !(err instanceof AuthenticationRefused)) throw new AuthenticationRefused(err.sw, err.message);
    throw err;
  }
}

export type MrzErrorCode = 'bad-document-number' | 'bad-date' | 'bad-character' | 'bad-id-number' | 'bad-mrz';

export class MrzError extends CardError {
  constructor(
    readonly code: MrzErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type CryptoErrorCode = 'bad-key' | 'bad-block-length' | 'bad-padding';

export class CryptoError extends CardError {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type BacErrorCode = 'bad-challenge' | 'bad-response-length' | 'bad-mac' | 'nonce-mismatch';

export class BacError extends CardError {
  constructor(
    readonly code: BacErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type SmErrorCode =
  | 'session-closed' // an earlier failure invalidated the session (the chip drops SM too)
  | 'unprotected-response' // no SM data objects, e.g. the chip answered an error in plain
  | 'bad-structure' // missing, duplicated, unknown or misordered SM data objects
  | 'bad-mac'
  | 'bad-padding'
  | 'status-mismatch'; // DO'99' disagrees with the trailer status word

export class SecureMessagingError extends CardError {
  constructor(
    readonly code: SmErrorCode,
    message: string,
    /** Trailer status word when the chip sent one (useful for 'unprotected-response'). */
    readonly sw = -1,
  ) {
    super(message);
  }
}

export type FileErrorCode = 'too-large' | 'no-progress' | 'bad-read-response' | 'bad-offset';

export class FileError extends CardError {
  constructor(
    readonly code: FileErrorCode,
    message: string,
  ) {
    super(message);
  }
}
