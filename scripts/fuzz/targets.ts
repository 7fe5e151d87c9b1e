// Fuzz targets: every parser that takes bytes or text from outside (the chip, a serial device, a
// client) must either accept the input or refuse it with its own error type — never throw
// anything else, never loop, never let a buffer grow without bound. Inputs are random, and
// mutations of real, valid samples (bit flips, cuts, splices), which reach deeper than noise.
import fc from 'fast-check';
import { z } from 'zod';
import * as contracts from '@tram/contracts';
import { IcaoError } from '@tram/icao/errors.ts';
import { parseTlvList, parseTlvTree } from '@tram/icao/tlv.ts';
import { parseDg1 } from '@tram/icao/dg1.ts';
import { parseDg13 } from '@tram/icao/dg13.ts';
import { parseSod } from '@tram/icao/sod.ts';
import { parseCertificate } from '@tram/icao/certificate.ts';
import { decodeCommandApdu, parseResponseApdu } from '@tram/station-agent/card/apdu.ts';
import { A02yyuwDecoder } from '@tram/station-agent/devices/a02yyuw.ts';
import { AndStandardDecoder } from '@tram/station-agent/devices/and-standard.ts';
import { Cms50dLegacyDecoder, Cms50dV7Decoder } from '@tram/station-agent/devices/cms50d.ts';
import { GyMcu90614Decoder } from '@tram/station-agent/devices/gy-mcu90614.ts';
import { MtSicsDecoder } from '@tram/station-agent/devices/mt-sics.ts';
import { Nibp2010Decoder } from '@tram/station-agent/devices/nibp2010.ts';
import type { DecoderOptions } from '@tram/station-agent/devices/common.ts';
import { makeTestCccd } from '@tram/testing/icao/test-documents.ts';
import {
  A02yyuwSimulator,
  AndScaleSimulator,
  Cms50dLegacySimulator,
  Cms50dV7Simulator,
  type DeviceSimulator,
  GyMcu90614Simulator,
  MtSicsSimulator,
  Nibp2010Simulator,
} from '@tram/testing/devices/simulators.ts';
import { ascii } from '@tram/station-agent/devices/common.ts';
import { checkParams, dateRange, paging, refIds, SearchError, sortDesc, tokens } from '../../hub/src/fhir/search.ts';

export interface Target {
  name: string;
  arbitrary: fc.Arbitrary<unknown>;
  /** Throws only on a crash: an error the parser should not have let out, or a broken bound. */
  run(input: unknown): void;
}

/** Refusals a parser may throw: its own error types. Anything else is a crash. */
function expect(errors: (abstract new (...a: never[]) => Error)[], f: () => unknown) {
  try {
    f();
  } catch (err) {
    if (errors.some((e) => err instanceof e)) return;
    throw err;
  }
}

/** Mutations of a valid sample: flip, overwrite, cut, insert, splice a slice elsewhere. */
function mutated(samples: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const op = fc.oneof(
    fc.record({ k: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ k: fc.constant('set' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ k: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
    fc.record({ k: fc.constant('splice' as const), from: fc.nat(), len: fc.nat({ max: 64 }), to: fc.nat() }),
  );
  return fc.tuple(fc.constantFrom(...samples), fc.array(op, { minLength: 1, maxLength: 6 })).map(([s, ops]) => {
    let b = Uint8Array.from(s);
    for (const o of ops) {
      const n = Math.max(1, b.length);
      if (o.k === 'flip') b[o.at % n] = (b[o.at % n] ?? 0) ^ (1 << o.bit);
      else if (o.k === 'set') b[o.at % n] = o.v;
      else if (o.k === 'cut') b = b.subarray(0, o.at % n);
      else if (o.k === 'insert') b = Uint8Array.from([...b.subarray(0, o.at % n), ...o.bytes, ...b.subarray(o.at % n)]);
      else {
        const slice = b.subarray(o.from % n, (o.from % n) + o.len);
        b = Uint8Array.from([...b.subarray(0, o.to % n), ...slice, ...b.subarray(o.to % n)]);
      }
    }
    return b;
  });
}

const bytes = (samples: readonly Uint8Array[]) => fc.oneof(fc.uint8Array({ maxLength: 512 }), mutated(samples));

function documents() {
  const doc = makeTestCccd();
  const ecc = makeTestCccd({ fullName: 'Lê Văn Tám' }, { eccCsca: true, aaKey: 'ec', dsKey: 'rsa-pss' });
  return { doc, ecc };
}

/** A decoder fed arbitrary chunks: readings may come or not, but nothing throws and the buffer stays bounded. */
function decoderTarget(
  name: string,
  make: (o: DecoderOptions) => { push(c: Uint8Array): void; readonly bufferedBytes: number },
  sim: DeviceSimulator,
  capacity: number,
): Target {
  // A real stream from the device's simulator (with host commands answered) is the sample to mutate.
  sim.receive(ascii('SIR\r\n'));
  sim.receive(Uint8Array.of(0xa5, 0x45, 0xea));
  const sample = sim.advance(3000);
  const samples = [sample.length ? sample : Uint8Array.of(0)];
  return {
    name,
    arbitrary: fc.array(bytes(samples), { minLength: 1, maxLength: 6 }),
    run(chunks) {
      const d = make({ onReading: () => {}, onStatus: () => {}, write: () => {}, now: () => new Date(0) });
      for (const c of chunks as Uint8Array[]) {
        d.push(c);
        if (d.bufferedBytes > capacity) throw new Error(`${name}: ${d.bufferedBytes} bytes buffered, over ${capacity}`);
      }
    },
  };
}

export function targets(): Target[] {
  const { doc, ecc } = documents();
  const icao = [IcaoError];
  const files = [doc.sod, doc.com, ...doc.dataGroups.values(), ecc.sod, ...ecc.dataGroups.values()];
  const searchValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '2026',
      '2026-02',
      '2026-02-30',
      'ge2026-01-01T10:00:00Z',
      'lt2026-13-01',
      'eq2026-01-01T25:00:00+07:00',
      'Patient/abc',
      'http://loinc.org|8867-4',
      '|8867-4',
      '-date',
    ),
  );
  const params = fc.dictionary(
    fc.constantFrom('patient', 'code', 'date', '_count', '_offset', '_sort', 'category', 'encounter', 'bogus'),
    fc.array(searchValue, { minLength: 1, maxLength: 3 }),
    { maxKeys: 5 },
  );
  const schemas = Object.entries(contracts as Record<string, unknown>).filter((e): e is [string, z.ZodType] => e[1] instanceof z.ZodType);
  const json = fc.jsonValue({ maxDepth: 4 });

  return [
    {
      name: 'tlv',
      arbitrary: bytes(files),
      run: (b) =>
        expect(icao, () => {
          parseTlvList(b as Uint8Array);
          parseTlvTree(b as Uint8Array);
        }),
    },
    { name: 'dg1', arbitrary: bytes([doc.dataGroups.get(1)!]), run: (b) => expect(icao, () => parseDg1(b as Uint8Array)) },
    {
      name: 'dg13',
      arbitrary: bytes([doc.dataGroups.get(13)!, ecc.dataGroups.get(13)!]),
      run: (b) => expect(icao, () => parseDg13(b as Uint8Array)),
    },
    { name: 'sod', arbitrary: bytes([doc.sod, ecc.sod]), run: (b) => expect(icao, () => parseSod(b as Uint8Array)) },
    {
      name: 'certificate',
      arbitrary: bytes([doc.cscaDer, doc.dsDer, ecc.cscaDer, ecc.dsDer]),
      run: (b) => expect(icao, () => parseCertificate(b as Uint8Array)),
    },
    {
      name: 'apdu',
      arbitrary: bytes([
        Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, 0x01, 0x1e),
        Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x00),
        Uint8Array.of(0x90, 0x00),
      ]),
      run: (b) =>
        expect(icao, () => {
          decodeCommandApdu(b as Uint8Array);
          parseResponseApdu(b as Uint8Array);
        }),
    },
    decoderTarget('serial:mt-sics', (o) => new MtSicsDecoder(o), new MtSicsSimulator({ targetKg: 70, stepOnAtMs: 0 }), 4096),
    decoderTarget('serial:and-standard', (o) => new AndStandardDecoder(o), new AndScaleSimulator({ targetKg: 70, stepOnAtMs: 0 }), 4096),
    decoderTarget('serial:cms50d-legacy', (o) => new Cms50dLegacyDecoder(o), new Cms50dLegacySimulator({ spo2: 97, pulseRate: 70 }), 4096),
    decoderTarget('serial:cms50d-v7', (o) => new Cms50dV7Decoder(o), new Cms50dV7Simulator({ spo2: 97, pulseRate: 70 }), 4096),
    decoderTarget(
      'serial:nibp2010',
      (o) => new Nibp2010Decoder(o),
      new Nibp2010Simulator({ systolic: 120, diastolic: 80, pulse: 70 }),
      4096,
    ),
    decoderTarget(
      'serial:a02yyuw',
      (o) => new A02yyuwDecoder({ ...o, mountHeightCm: 230 }),
      new A02yyuwSimulator({ mountHeightCm: 230, heightCm: 170 }),
      4096,
    ),
    decoderTarget(
      'serial:gy-mcu90614',
      (o) => new GyMcu90614Decoder(o),
      new GyMcu90614Simulator({ objectCel: 36.6, ambientCel: 25 }),
      4096,
    ),
    {
      name: 'fhir-search',
      arbitrary: params,
      run: (q) =>
        expect([SearchError], () => {
          const p = q as Record<string, string[]>;
          checkParams(p, ['patient', 'code', 'date', 'category', 'encounter']);
          paging(p);
          sortDesc(p);
          tokens(p.code, 'code');
          refIds(p.patient, 'Patient', 'patient');
          for (const d of p.date ?? []) dateRange(d);
        }),
    },
    ...schemas.map(
      ([name, schema]): Target => ({
        name: `schema:${name}`,
        arbitrary: json,
        // safeParse must answer for any JSON; a throw is a crash.
        run: (v) => void schema.safeParse(v),
      }),
    ),
  ];
}
