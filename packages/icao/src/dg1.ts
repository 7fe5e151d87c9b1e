// EF.DG1: tag 61 wrapping 5F1F, the MRZ as printed. Parses the TD1 (ID card, 3×30) layout
// of ICAO 9303-5 and reports each check digit instead of throwing, so a reader can show
// the data and flag inconsistencies.
import { DataGroupError, TlvError } from './errors.ts';
import { checkDigit } from './check-digit.ts';
import { childrenOf, expectTlv, requireTlv } from './tlv.ts';

export interface Td1Mrz {
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  optionalData1: string;
  dateOfBirth: string; // YYMMDD
  sex: string; // M, F or <
  dateOfExpiry: string; // YYMMDD
  nationality: string;
  optionalData2: string;
  primaryIdentifier: string;
  secondaryIdentifier: string;
  /** CCCD: the 12-digit ID number carried at the start of optional data 1, when present. */
  cccdIdNumber?: string;
  checks: { documentNumber: boolean; dateOfBirth: boolean; dateOfExpiry: boolean; composite: boolean };
  lines: [string, string, string];
}

function digitMatches(field: string, cd: string): boolean {
  return /^[0-9]$/.test(cd) && checkDigit(field) === Number(cd);
}

const trimFiller = (s: string) => s.replace(/<+$/, '');

/** Parses the 90-character TD1 MRZ. */
export function parseTd1(mrz: string): Td1Mrz {
  if (mrz.length !== 90) throw new DataGroupError('bad-structure', `TD1 MRZ must be 90 characters, got ${mrz.length}`);
  if (!/^[0-9A-Z<]+$/.test(mrz)) throw new DataGroupError('bad-text', 'MRZ contains characters outside 0-9 A-Z <');
  const l1 = mrz.slice(0, 30);
  const l2 = mrz.slice(30, 60);
  const l3 = mrz.slice(60, 90);

  let documentNumber = l1.slice(5, 14);
  let docCd = l1[14]!;
  let optionalData1 = l1.slice(15, 30);
  if (docCd === '<') {
    // ICAO 9303-5 long document number: it continues in optional data, ending with its check digit then '<'.
    const ext = optionalData1.split('<')[0]!;
    if (ext.length >= 1) {
      documentNumber += ext.slice(0, -1);
      docCd = ext.slice(-1);
      optionalData1 = optionalData1.slice(ext.length + 1);
    }
  }
  const primary = l3.split('<<')[0]!;
  const composite = l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29);
  const opt1 = trimFiller(optionalData1);
  return {
    documentCode: trimFiller(l1.slice(0, 2)),
    issuingState: trimFiller(l1.slice(2, 5)),
    documentNumber: trimFiller(documentNumber),
    optionalData1: opt1,
    dateOfBirth: l2.slice(0, 6),
    sex: l2[7]!,
    dateOfExpiry: l2.slice(8, 14),
    nationality: trimFiller(l2.slice(15, 18)),
    optionalData2: trimFiller(l2.slice(18, 29)),
    primaryIdentifier: primary.replace(/<+/g, ' ').trim(),
    secondaryIdentifier: l3
      .slice(primary.length + 2)
      .replace(/<+/g, ' ')
      .trim(),
    ...(/^\d{12}/.test(opt1) ? { cccdIdNumber: opt1.slice(0, 12) } : {}),
    checks: {
      documentNumber: digitMatches(documentNumber, docCd),
      dateOfBirth: digitMatches(l2.slice(0, 6), l2[6]!),
      dateOfExpiry: digitMatches(l2.slice(8, 14), l2[14]!),
      composite: digitMatches(composite, l2[29]!),
    },
    lines: [l1, l2, l3],
  };
}

/** Parses EF.DG1 content (61 { 5F1F mrz }) holding a TD1 MRZ. */
export function parseDg1(file: Uint8Array): Td1Mrz {
  let mrzBytes: Uint8Array;
  try {
    mrzBytes = requireTlv(childrenOf(expectTlv(file, 0x61)), 0x5f1f).value;
  } catch (err) {
    if (err instanceof TlvError) throw new DataGroupError('bad-structure', `DG1: ${err.message}`);
    throw err;
  }
  return parseTd1(Buffer.from(mrzBytes).toString('latin1'));
}
