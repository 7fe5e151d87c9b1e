// The virtual CCCD for the PC/SC tests and the card benchmark: the synthetic signed document from
// packages/testing/src/icao/test-documents.ts (made-up person, test CSCA, signed SOD, DG15) laid out
// as files of the simulated chip, plus a face-sized DG2 for photo reads.
import { makeTestCccd, type TestCccd, type TestCccdOptions, type TestPerson } from '../icao/test-documents.ts';
import { encodeTlv } from '@tram/icao/tlv.ts';
import { FakeChip } from './fake-chip.ts';
import { EF } from '@tram/station-agent/card/files.ts';

const FID: Record<number, number> = { 1: EF.DG1, 2: EF.DG2, 13: EF.DG13, 14: EF.DG14, 15: EF.DG15 };

export interface VirtualCccd {
  doc: TestCccd;
  files: Map<number, Uint8Array>;
  /** A fresh chip (new session state) for each power-up of the virtual card. */
  chip: () => FakeChip;
  access: { idNumber: string; dateOfBirth: string; dateOfExpiry: string };
}

export function virtualCccd(
  opts: {
    person?: Partial<TestPerson>;
    doc?: TestCccdOptions;
    extendedLength?: boolean;
    cardAccess?: boolean;
    photoBytes?: number;
    /** Status word the chip answers a wrong access key with (default 6300). */
    wrongKeySw?: number;
  } = {},
): VirtualCccd {
  const doc = makeTestCccd(opts.person ?? {}, opts.doc ?? {});
  const files = new Map<number, Uint8Array>([
    [EF.COM, doc.com],
    [EF.SOD, doc.sod],
  ]);
  for (const [n, f] of doc.dataGroups) files.set(FID[n]!, f);
  // DG2 is not in the SOD's hash list; it only exercises long reads (Passive Authentication is run without it).
  const photo = Uint8Array.from({ length: opts.photoBytes ?? 15_000 }, (_, i) => (i * 31 + 7) & 0xff);
  files.set(
    EF.DG2,
    encodeTlv(0x75, [encodeTlv(0x7f61, [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x7f60, [encodeTlv(0x5f2e, photo)])])]),
  );
  if (opts.cardAccess) files.set(EF.CARD_ACCESS, doc.cardAccess);
  const extendedLength = opts.extendedLength ?? true;
  const chipOptions = {
    mrzInformation: doc.mrzInformation,
    files,
    extendedLength,
    ...(doc.aaPrivateKey ? { aaPrivateKey: doc.aaPrivateKey } : {}),
    can: doc.can,
    ...(opts.wrongKeySw ? { wrongKeySw: opts.wrongKeySw } : {}),
  };
  return {
    doc,
    files,
    chip: () => new FakeChip(chipOptions),
    access: { idNumber: doc.person.idNumber, dateOfBirth: doc.mrz.dateOfBirth, dateOfExpiry: doc.mrz.dateOfExpiry },
  };
}
