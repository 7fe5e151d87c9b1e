// A simulated eMRTD chip (BAC or PACE, DES/AES SM, file reads, Active Authentication) implementing Transport, for tests
// now and as a starting point for a vpcd test card later. It implements the chip's side
// of the protocol separately from the reader code, so round trips exercise both sides.
import { type CommandApdu, decodeCommandApdu, encodeResponseApdu } from '@tram/station-agent/card/apdu.ts';
import { type RandomSource, bacKeys, secureRandom } from '@tram/station-agent/card/bac.ts';
import { concat, equalBytes, xor } from '@tram/station-agent/card/bytes.ts';
import { retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from '@tram/station-agent/card/des.ts';
import { deriveKey, KDF_ENC, KDF_MAC } from '@tram/station-agent/card/kdf.ts';
import { pad, unpad } from '@tram/station-agent/card/padding.ts';
import { incrementSsc, type SmCipher } from '@tram/station-agent/card/secure-messaging.ts';
import { DesSmCipher } from '@tram/station-agent/card/sm-des.ts';
import { childrenOf, encodeTlv, expectTlv, parseTlvList } from '@tram/icao/tlv.ts';
import type { Transport } from '@tram/station-agent/card/transport.ts';
import type { KeyObject } from 'node:crypto';
import { signActiveChallenge, type TestCccd } from '../icao/test-documents.ts';
import { encodeOid } from '@tram/icao/der.ts';
import { findTlv } from '@tram/icao/tlv.ts';
import { EF } from '@tram/station-agent/card/files.ts';
import {
  authToken,
  decodePoint,
  mapGenerator,
  nonceCipher,
  PACE_CURVES,
  PACE_ECDH_GM_AES,
  parsePaceInfos,
  passwordKey,
  type PacePassword,
  randomScalar,
  selectPaceInfo,
  xCoordinate,
} from '@tram/station-agent/card/pace.ts';
import { AesSmCipher } from '@tram/station-agent/card/sm-aes.ts';

export interface FakeChipOptions {
  mrzInformation: string;
  files: ReadonlyMap<number, Uint8Array>;
  /** Supplies RND.IC (8) then K.IC (16). */
  random?: RandomSource;
  /** Accept extended-length APDUs (otherwise answer 6700 like a short-only chip). */
  extendedLength?: boolean;
  /** Require SM for file access after BAC, and BAC/PACE before any file but EF.CardAccess (default true). */
  requireSm?: boolean;
  /** PACE password CAN; PACE with MRZ uses mrzInformation. PACE needs EF.CardAccess (011C) in files. */
  can?: string;
  /** Private key for INTERNAL AUTHENTICATE (Active Authentication). */
  aaPrivateKey?: KeyObject;
  /** Status word for a wrong access key (default 6300; some chips answer 6988 or 6982). */
  wrongKeySw?: number;
}

interface PaceState {
  protocol: string;
  parameterId: number;
  password: PacePassword;
  step: number;
  nonce?: Uint8Array;
  mapSk?: bigint;
  generator?: ReturnType<typeof mapGenerator>;
  ephSk?: bigint;
  ephPk?: Uint8Array;
  terminalEphPk?: Uint8Array;
  keys?: { ksEnc: Uint8Array; ksMac: Uint8Array };
}

interface Reply {
  data?: Uint8Array;
  sw: number;
}

export class FakeChip implements Transport {
  readonly log: { command: Uint8Array; response: Uint8Array }[] = [];
  /** Test hook to corrupt the next protected response (e.g. flip a MAC bit). */
  tamper?: (raw: Uint8Array) => Uint8Array;
  private rndIc?: Uint8Array;
  private sm?: { cipher: SmCipher; ssc: Uint8Array };
  private selected?: Uint8Array;
  private readonly random: RandomSource;
  private pace?: PaceState;
  private pendingSm?: { cipher: SmCipher; ssc: Uint8Array };

  constructor(private readonly opts: FakeChipOptions) {
    this.random = opts.random ?? secureRandom;
  }

  /** A chip holding a synthetic CCCD from makeTestCccd(): BAC with its MRZ, PACE with its CAN or MRZ, AA with its key. */
  static fromTestCccd(doc: TestCccd, opts: Partial<FakeChipOptions> = {}): FakeChip {
    const files = new Map<number, Uint8Array>([
      [EF.CARD_ACCESS, doc.cardAccess],
      [EF.COM, doc.com],
      [EF.SOD, doc.sod],
    ]);
    for (const [n, bytes] of doc.dataGroups) files.set(0x0100 + n, bytes);
    return new FakeChip({
      mrzInformation: doc.mrzInformation,
      can: doc.can,
      files,
      ...(doc.aaPrivateKey ? { aaPrivateKey: doc.aaPrivateKey } : {}),
      ...opts,
    });
  }

  get authenticated(): boolean {
    return this.sm !== undefined;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    let response = this.process(apdu);
    if (this.tamper) {
      response = this.tamper(response);
      this.tamper = undefined;
    }
    this.log.push({ command: Uint8Array.from(apdu), response });
    return response;
  }

  private process(raw: Uint8Array): Uint8Array {
    let cmd: CommandApdu & { extended: boolean };
    try {
      cmd = decodeCommandApdu(raw);
    } catch {
      return encodeResponseApdu(new Uint8Array(0), 0x6700);
    }
    if (cmd.extended && !this.opts.extendedLength) return encodeResponseApdu(new Uint8Array(0), 0x6700);
    if ((cmd.cla & 0x0c) === 0x0c) {
      if (!this.sm) return encodeResponseApdu(new Uint8Array(0), 0x6882);
      const inner = this.unprotect(cmd);
      if (!inner) {
        this.sm = undefined; // SM error: drop keys and answer in plain, as real chips do
        return encodeResponseApdu(new Uint8Array(0), 0x6988);
      }
      const reply = this.handle(inner);
      return this.protect(reply, (cmd.ins & 1) === 1);
    }
    if (this.sm && this.opts.requireSm !== false && cmd.ins !== 0x84) {
      this.sm = undefined;
      return encodeResponseApdu(new Uint8Array(0), 0x6987);
    }
    const reply = this.handle(cmd);
    const out = encodeResponseApdu(reply.data ?? new Uint8Array(0), reply.sw);
    // PACE's last response goes out in plain; secure messaging starts after it.
    if (this.pendingSm) {
      this.sm = this.pendingSm;
      this.pendingSm = undefined;
    }
    return out;
  }

  private handle(cmd: CommandApdu): Reply {
    switch (cmd.ins) {
      case 0x84:
        this.rndIc = this.random(8);
        return { data: this.rndIc, sw: 0x9000 };
      case 0x82:
        return this.externalAuthenticate(cmd);
      case 0xa4:
        return this.select(cmd);
      case 0xb0:
      case 0xb1:
        return this.readBinary(cmd);
      case 0x22:
        return this.mseSetAt(cmd);
      case 0x86:
        return this.generalAuthenticate(cmd);
      case 0x88:
        return this.internalAuthenticate(cmd);
      default:
        return { sw: 0x6d00 };
    }
  }

  private externalAuthenticate(cmd: CommandApdu): Reply {
    const data = cmd.data ?? new Uint8Array(0);
    if (!this.rndIc || data.length !== 40) return { sw: 0x6700 };
    const keys = bacKeys(this.opts.mrzInformation);
    const eIfd = data.subarray(0, 32);
    if (!equalBytes(retailMac(keys.kMac, pad(eIfd, 8)), data.subarray(32))) return { sw: this.opts.wrongKeySw ?? 0x6300 };
    const s = tdesCbcDecrypt(keys.kEnc, eIfd);
    if (!equalBytes(s.subarray(8, 16), this.rndIc)) return { sw: this.opts.wrongKeySw ?? 0x6300 };
    const rndIfd = s.subarray(0, 8);
    const kIfd = s.subarray(16, 32);
    const kIc = this.random(16);
    const eIc = tdesCbcEncrypt(keys.kEnc, concat(this.rndIc, rndIfd, kIc));
    const seed = xor(kIfd, kIc);
    this.sm = {
      cipher: new DesSmCipher(deriveKey(seed, KDF_ENC, '3des'), deriveKey(seed, KDF_MAC, '3des')),
      ssc: concat(this.rndIc.subarray(4), rndIfd.subarray(4)),
    };
    return { data: concat(eIc, retailMac(keys.kMac, pad(eIc, 8))), sw: 0x9000 };
  }

  private select(cmd: CommandApdu): Reply {
    const data = cmd.data ?? new Uint8Array(0);
    if (cmd.p1 === 0x04) return { sw: 0x9000 }; // any AID: a single-application chip
    if (cmd.p1 !== 0x02 || data.length !== 2) return { sw: 0x6a86 };
    const fid = (data[0]! << 8) | data[1]!;
    const file = this.opts.files.get(fid);
    if (!file) return { sw: 0x6a82 };
    // Access control: only EF.CardAccess is readable before BAC/PACE.
    if (!this.sm && this.opts.requireSm !== false && fid !== EF.CARD_ACCESS) return { sw: 0x6982 };
    this.selected = file;
    return { sw: 0x9000 };
  }

  private readBinary(cmd: CommandApdu): Reply {
    if (!this.selected) return { sw: 0x6986 };
    const ne = cmd.ne ?? 256;
    let offset: number;
    if (cmd.ins === 0xb0) {
      if (cmd.p1 & 0x80) return { sw: 0x6a86 }; // SFI addressing not simulated
      offset = (cmd.p1 << 8) | cmd.p2;
    } else {
      try {
        offset = expectTlv(cmd.data ?? new Uint8Array(0), 0x54).value.reduce((n, b) => n * 256 + b, 0);
      } catch {
        return { sw: 0x6a80 };
      }
    }
    if (offset > this.selected.length) return { sw: 0x6b00 };
    if (cmd.ins === 0xb0) {
      const data = this.selected.slice(offset, offset + ne);
      return { data, sw: data.length < ne ? 0x6282 : 0x9000 };
    }
    // Odd INS: wrap in DO'53' and keep the whole response within Ne.
    let n = ne;
    while (n > 0 && encodeTlv(0x53, new Uint8Array(n)).length > ne) n--;
    const data = this.selected.slice(offset, offset + n);
    return { data: encodeTlv(0x53, data), sw: data.length < n ? 0x6282 : 0x9000 };
  }

  private mseSetAt(cmd: CommandApdu): Reply {
    if (cmd.p1 !== 0xc1 || cmd.p2 !== 0xa4) return { sw: 0x6a86 };
    const cardAccess = this.opts.files.get(EF.CARD_ACCESS);
    if (!cardAccess) return { sw: 0x6a88 };
    try {
      const info = selectPaceInfo(parsePaceInfos(cardAccess));
      const dos = parseTlvList(cmd.data ?? new Uint8Array(0));
      const oid = findTlv(dos, 0x80)?.value;
      const ref = findTlv(dos, 0x83)?.value;
      if (!oid || !ref || ref.length !== 1 || !equalBytes(oid, oidBytes(info.protocol))) return { sw: 0x6a80 };
      let password: PacePassword;
      if (ref[0] === 0x01) password = { mrzInformation: this.opts.mrzInformation };
      else if (ref[0] === 0x02 && this.opts.can) password = { can: this.opts.can };
      else return { sw: 0x6a88 };
      this.sm = undefined;
      this.pace = { protocol: info.protocol, parameterId: info.parameterId, password, step: 1 };
      return { sw: 0x9000 };
    } catch {
      return { sw: 0x6a80 };
    }
  }

  /** Chip side of the four GENERAL AUTHENTICATE steps; any error resets PACE like a real chip. */
  private generalAuthenticate(cmd: CommandApdu): Reply {
    const st = this.pace;
    if (!st) return { sw: 0x6985 };
    const last = (cmd.cla & 0x10) === 0;
    try {
      const reply = this.paceStep(st, childrenOf(expectTlv(cmd.data ?? new Uint8Array(0), 0x7c)), last);
      if (reply.sw !== 0x9000) this.pace = undefined;
      return reply;
    } catch {
      this.pace = undefined;
      return { sw: 0x6a80 };
    }
  }

  private paceStep(st: PaceState, dos: ReturnType<typeof childrenOf>, last: boolean): Reply {
    const { curve } = PACE_CURVES[st.parameterId]!;
    const alg = PACE_ECDH_GM_AES[st.protocol]!;
    const wrap = (tag: number, v: Uint8Array): Reply => ({ data: encodeTlv(0x7c, [encodeTlv(tag, v)]), sw: 0x9000 });
    if (last !== (st.step === 4)) return { sw: 0x6985 }; // only the token step ends the chain
    switch (st.step++) {
      case 1: {
        if (dos.length !== 0) return { sw: 0x6a80 };
        st.nonce = this.random(16);
        return wrap(0x80, nonceCipher(passwordKey(st.password, alg), st.nonce, true));
      }
      case 2: {
        const terminalMap = decodePoint(curve, requireValue(dos, 0x81));
        st.mapSk = randomScalar(curve, this.random);
        st.generator = mapGenerator(curve, st.nonce!, terminalMap.multiply(st.mapSk));
        return wrap(0x82, curve.Point.BASE.multiply(st.mapSk).toBytes(false));
      }
      case 3: {
        const terminalEph = requireValue(dos, 0x83);
        const point = decodePoint(curve, terminalEph);
        st.ephSk = randomScalar(curve, this.random);
        st.ephPk = st.generator!.multiply(st.ephSk).toBytes(false);
        if (equalBytes(st.ephPk, terminalEph)) return { sw: 0x6a80 };
        st.terminalEphPk = Uint8Array.from(terminalEph);
        const k = xCoordinate(point.multiply(st.ephSk), curve);
        st.keys = { ksEnc: deriveKey(k, KDF_ENC, alg), ksMac: deriveKey(k, KDF_MAC, alg) };
        return wrap(0x84, st.ephPk);
      }
      case 4: {
        const keys = st.keys!;
        // The terminal's token covers our ephemeral key; a wrong password gives other keys.
        if (!equalBytes(requireValue(dos, 0x85), authToken(keys.ksMac, st.protocol, st.ephPk!)))
          return { sw: this.opts.wrongKeySw ?? 0x6300 };
        const reply = wrap(0x86, authToken(keys.ksMac, st.protocol, st.terminalEphPk!));
        this.pace = undefined;
        this.pendingSm = { cipher: new AesSmCipher(keys.ksEnc, keys.ksMac), ssc: new Uint8Array(16) };
        return reply;
      }
      default:
        return { sw: 0x6985 };
    }
  }

  private internalAuthenticate(cmd: CommandApdu): Reply {
    if (!this.sm && this.opts.requireSm !== false) return { sw: 0x6982 };
    if (!this.opts.aaPrivateKey) return { sw: 0x6d00 };
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return { sw: 0x6a86 };
    if (cmd.data?.length !== 8) return { sw: 0x6700 };
    return { data: signActiveChallenge(this.opts.aaPrivateKey, cmd.data), sw: 0x9000 };
  }

  /** Chip-side command verification; returns undefined on any SM error. */
  private unprotect(cmd: CommandApdu): CommandApdu | undefined {
    const sm = this.sm!;
    const bs = sm.cipher.blockSize;
    try {
      const body = cmd.data ?? new Uint8Array(0);
      const dos = parseTlvList(body);
      const mac = dos[dos.length - 1];
      if (mac?.tag !== 0x8e) return undefined;
      incrementSsc(sm.ssc);
      const header = pad(Uint8Array.of(cmd.cla, cmd.ins, cmd.p1, cmd.p2), bs);
      const expected = sm.cipher.mac(pad(concat(sm.ssc, header, body.subarray(0, mac.offset)), bs));
      if (!equalBytes(expected, mac.value)) return undefined;
      const inner: CommandApdu = { cla: cmd.cla & ~0x0c, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2 };
      for (const d of dos.slice(0, -1)) {
        if (d.tag === 0x87) inner.data = unpad(sm.cipher.decrypt(d.value.subarray(1), sm.ssc), bs);
        else if (d.tag === 0x85) inner.data = unpad(sm.cipher.decrypt(d.value, sm.ssc), bs);
        else if (d.tag === 0x97) {
          const le = d.value.reduce((n, b) => n * 256 + b, 0);
          inner.ne = le === 0 ? (d.length === 1 ? 256 : 65536) : le;
        } else return undefined;
      }
      return inner;
    } catch {
      return undefined;
    }
  }

  private protect(reply: Reply, oddIns: boolean): Uint8Array {
    const sm = this.sm;
    if (!sm) return encodeResponseApdu(new Uint8Array(0), reply.sw);
    const bs = sm.cipher.blockSize;
    incrementSsc(sm.ssc);
    let doData: Uint8Array = new Uint8Array(0);
    if (reply.data && reply.data.length > 0) {
      const enc = sm.cipher.encrypt(pad(reply.data, bs), sm.ssc);
      doData = oddIns ? encodeTlv(0x85, enc) : encodeTlv(0x87, concat(Uint8Array.of(1), enc));
    }
    const do99 = encodeTlv(0x99, Uint8Array.of(reply.sw >> 8, reply.sw & 0xff));
    const mac = sm.cipher.mac(pad(concat(sm.ssc, doData, do99), bs));
    return encodeResponseApdu(concat(doData, do99, encodeTlv(0x8e, mac)), reply.sw);
  }
}

function requireValue(dos: ReturnType<typeof childrenOf>, tag: number): Uint8Array {
  const t = findTlv(dos, tag);
  if (!t) throw new Error(`missing DO ${tag.toString(16)}`);
  return t.value;
}

/** Value bytes of an OID (what DO'80' of MSE:Set AT carries). */
function oidBytes(oid: string): Uint8Array {
  return encodeOid(oid).subarray(2);
}

/** Returns the given byte strings in order, then fails: deterministic RandomSource for tests. */
export function scriptedRandom(...values: Uint8Array[]): RandomSource {
  const queue = [...values];
  return (n) => {
    const v = queue.shift();
    if (!v || v.length !== n) throw new Error(`scripted random: wanted ${n} bytes, have ${v?.length ?? 'none'}`);
    return v;
  };
}
