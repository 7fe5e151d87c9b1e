// Typed errors for the card layer. Callers branch on `code` (stable strings),
// never on message text, so messages can stay human-oriented.

export class CardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export type TlvErrorCode =
  | 'truncated' // a tag, length or value runs past the end of the buffer
  | 'bad-tag' // tag encoding not allowed (too long, non-minimal continuation)
  | 'bad-length' // indefinite form or a length field wider than 4 bytes
  | 'trailing-bytes' // bytes left over where exactly one TLV/TLV list was expected
  | 'not-constructed' // children requested of a primitive TLV
  | 'too-deep' // nesting deeper than the configured limit
  | 'unexpected-tag' // the structure does not match what the caller expects
  | 'encode'; // invalid input to an encoder

export class TlvError extends CardError {
  constructor(
    readonly code: TlvErrorCode,
    message: string,
    /** Byte offset (within the buffer being parsed) where the problem was found. */
    readonly offset = -1,
  ) {
    super(message);
  }
}

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

export type DataGroupErrorCode = 'bad-structure' | 'bad-text';

export class DataGroupError extends CardError {
  constructor(
    readonly code: DataGroupErrorCode,
    message: string,
  ) {
    super(message);
  }
}
