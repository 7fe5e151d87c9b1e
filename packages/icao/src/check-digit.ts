// ICAO 9303-3 §4.9 check digits: weights 7,3,1 repeating, sum mod 10.

const WEIGHTS = [7, 3, 1] as const;

/** Value of an MRZ character (0-9, A-Z = 10-35, '<' = 0), or undefined outside that set. */
export function mrzCharValue(c: string): number | undefined {
  const code = c.charCodeAt(0);
  if (c.length !== 1) return undefined;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41 + 10;
  return c === '<' ? 0 : undefined;
}

/** Index of the first character outside the MRZ set, or -1. */
export function firstNonMrzChar(field: string): number {
  for (let i = 0; i < field.length; i++) if (mrzCharValue(field[i]!) === undefined) return i;
  return -1;
}

/** Check digit of `field`; throws RangeError on characters outside the MRZ set (validate first). */
export function checkDigit(field: string): number {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const v = mrzCharValue(field[i]!);
    if (v === undefined) throw new RangeError(`invalid MRZ character ${JSON.stringify(field[i])} at position ${i}`);
    sum += v * WEIGHTS[i % 3]!;
  }
  return sum % 10;
}
