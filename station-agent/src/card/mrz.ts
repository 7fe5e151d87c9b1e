// ICAO 9303 Part 3 check digits and the MRZ information that seeds BAC (Part 11 §9.7).
// CCCD helpers: the chip's document number is the last 9 digits of the 12-digit ID,
// and the PACE CAN is the last 6 digits (the card prints no separate CAN).
import { checkDigit as mrzCheckDigit, firstNonMrzChar } from '@tram/icao/check-digit.ts';
import { MrzError } from './errors.ts';

/** ICAO 9303-3 §4.9 check digit; rejects characters outside 0-9 A-Z <. */
export function checkDigit(field: string): number {
  const bad = firstNonMrzChar(field);
  if (bad >= 0) throw new MrzError('bad-character', `invalid MRZ character ${JSON.stringify(field[bad])} at position ${bad}`);
  return mrzCheckDigit(field);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Validates a YYMMDD MRZ date (century unknown, so Feb 29 is always allowed). */
export function assertYymmdd(date: string, what: string): void {
  if (!/^\d{6}$/.test(date)) throw new MrzError('bad-date', `${what} must be YYMMDD (6 digits), got ${JSON.stringify(date)}`);
  const mm = Number(date.slice(2, 4));
  const dd = Number(date.slice(4, 6));
  if (mm < 1 || mm > 12) throw new MrzError('bad-date', `${what} has month ${mm}`);
  if (dd < 1 || dd > DAYS_IN_MONTH[mm - 1]!) throw new MrzError('bad-date', `${what} has day ${dd} in month ${mm}`);
}

/** Converts a printed dd/mm/yyyy date (as on the card face and in DG13) to MRZ YYMMDD. */
export function ddmmyyyyToYymmdd(date: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date.trim());
  if (!m) throw new MrzError('bad-date', `expected dd/mm/yyyy, got ${JSON.stringify(date)}`);
  const out = `${m[3]!.slice(2)}${m[2]}${m[1]}`;
  assertYymmdd(out, 'date');
  return out;
}

/**
 * MRZ_information for BAC: docNo + cd, DOB + cd, DOE + cd.
 * Document numbers shorter than 9 characters are padded with '<' (the MRZ field width);
 * longer ones are used in full, as ICAO specifies for extended document numbers.
 */
export function bacMrzInformation(documentNumber: string, dateOfBirth: string, dateOfExpiry: string): string {
  const doc = documentNumber.trim().toUpperCase();
  if (!/^[0-9A-Z<]{1,22}$/.test(doc) || /^<+$/.test(doc)) {
    throw new MrzError('bad-document-number', `document number must be 1-22 of 0-9 A-Z <, got ${JSON.stringify(documentNumber)}`);
  }
  assertYymmdd(dateOfBirth, 'date of birth');
  assertYymmdd(dateOfExpiry, 'date of expiry');
  const padded = doc.padEnd(9, '<');
  return `${padded}${checkDigit(padded)}${dateOfBirth}${checkDigit(dateOfBirth)}${dateOfExpiry}${checkDigit(dateOfExpiry)}`;
}

/** Validates a 12-digit CCCD ID number (province 3, century/sex 1, birth year 2, serial 6). */
export function assertCccdId(id: string): void {
  if (!/^\d{12}$/.test(id)) throw new MrzError('bad-id-number', `CCCD ID number must be 12 digits, got ${JSON.stringify(id)}`);
}

/** The chip's document number: the last 9 digits of the 12-digit ID. */
export function cccdDocumentNumber(id12: string): string {
  assertCccdId(id12);
  return id12.slice(3);
}

/** BAC MRZ_information for a CCCD from its ID number and YYMMDD dates. */
export function cccdMrzInformation(id12: string, dateOfBirth: string, dateOfExpiry: string): string {
  return bacMrzInformation(cccdDocumentNumber(id12), dateOfBirth, dateOfExpiry);
}

/** PACE CAN for a CCCD: the last 6 digits of the ID number. */
export function cccdCan(id12: string): string {
  assertCccdId(id12);
  return id12.slice(6);
}
