// Typed errors for ICAO 9303 data shared by the station agent and the hub. Callers branch on
// `code` (stable strings), never on message text, so messages can stay human-oriented.

/** Base of every ICAO/card error; the station agent's CardError is this class. */
export class IcaoError extends Error {
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

export class TlvError extends IcaoError {
  constructor(
    readonly code: TlvErrorCode,
    message: string,
    /** Byte offset (within the buffer being parsed) where the problem was found. */
    readonly offset = -1,
  ) {
    super(message);
  }
}

export type DataGroupErrorCode = 'bad-structure' | 'bad-text';

export class DataGroupError extends IcaoError {
  constructor(
    readonly code: DataGroupErrorCode,
    message: string,
  ) {
    super(message);
  }
}
