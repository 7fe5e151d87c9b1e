// X.509 certificates of the ICAO PKI (CSCA, Document Signer), parsed with @peculiar/asn1-x509
// into the few fields Passive Authentication needs. Signatures are checked elsewhere with
// node:crypto because the library cannot use explicit-parameter EC keys.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Name } from '@peculiar/asn1-x509';
import { toHex } from './bytes.ts';
import { TAG } from './der.ts';
import { IcaoError } from './errors.ts';
import type { AlgorithmId } from './signature.ts';
import { childrenOf, parseTlv } from './tlv.ts';

export class CertificateError extends IcaoError {}

export interface IcaoCertificate {
  der: Uint8Array;
  /** tbsCertificate exactly as encoded: what the issuer signed. */
  tbs: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  /** Names as DER, for issuer/subject matching. */
  issuer: Uint8Array;
  subject: Uint8Array;
  subjectText: string;
  /** Serial number as unsigned hex (upper case). */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  /** basicConstraints cA (false when the extension is absent). */
  ca: boolean;
  /** keyUsage keyCertSign (false when the extension is absent). */
  keyCertSign: boolean;
}

const u8 = (b: ArrayBuffer | ArrayBufferView) =>
  b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** RFC 4514-style text, most specific RDN first (e.g. "CN=DS 01,O=Bo Cong an,C=VN"). */
export function nameToText(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) => [...rdn].map((atv) => `${SHORT_NAMES[atv.type] ?? atv.type}=${atv.value.toString()}`).join('+'))
    .join(',');
}

export function algorithmIdOf(a: { algorithm: string; parameters?: ArrayBuffer | null }): AlgorithmId {
  return a.parameters ? { oid: a.algorithm, parameters: u8(a.parameters) } : { oid: a.algorithm };
}

function unsignedHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return toHex(bytes.subarray(i));
}

export function serialHex(serial: ArrayBuffer): string {
  return unsignedHex(u8(serial));
}

function keyIds(cert: Certificate): { ski?: Uint8Array; aki?: Uint8Array; ca: boolean; keyCertSign: boolean } {
  const out: { ski?: Uint8Array; aki?: Uint8Array; ca: boolean; keyCertSign: boolean } = { ca: false, keyCertSign: false };
  for (const ext of cert.tbsCertificate.extensions ?? []) {
    const value = u8(ext.extnValue.buffer);
    if (ext.extnID === '2.5.29.14') {
      const t = parseTlv(value);
      if (t.tag === TAG.OCTET_STRING) out.ski = t.value;
    } else if (ext.extnID === '2.5.29.35') {
      const keyId = childrenOf(parseTlv(value)).find((t) => t.tag === 0x80); // [0] keyIdentifier
      if (keyId) out.aki = keyId.value;
    } else if (ext.extnID === '2.5.29.19') {
      // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL }
      const first = childrenOf(parseTlv(value))[0];
      out.ca = first?.tag === 0x01 && first.value.length === 1 && first.value[0] !== 0;
    } else if (ext.extnID === '2.5.29.15') {
      // KeyUsage BIT STRING: first content byte is the unused-bit count; keyCertSign is bit 5 (0x04).
      const bits = parseTlv(value);
      out.keyCertSign = bits.tag === 0x03 && bits.value.length >= 2 && (bits.value[1]! & 0x04) !== 0;
    }
  }
  return out;
}

/** Parses a DER certificate; throws CertificateError (never a library error) when malformed. */
export function parseCertificate(der: Uint8Array): IcaoCertificate {
  try {
    const cert = AsnConvert.parse(der, Certificate);
    const tbs = cert.tbsCertificateRaw ? u8(cert.tbsCertificateRaw) : undefined;
    if (!tbs || tbs[0] !== TAG.SEQUENCE) throw new CertificateError('certificate has no raw tbsCertificate');
    const t = cert.tbsCertificate;
    const { ski, aki, ca, keyCertSign } = keyIds(cert);
    // Names and key are taken as encoded (not re-serialized) so matching and key import see
    // exactly the issuer's bytes.
    const tbsTlv = parseTlv(tbs);
    const kids = childrenOf(tbsTlv);
    const at = kids[0]?.tag === 0xa0 ? 1 : 0;
    const raw = (i: number) => {
      const k = kids[at + i];
      if (!k || k.tag !== TAG.SEQUENCE) throw new CertificateError('malformed tbsCertificate');
      return tbsTlv.value.slice(k.offset, k.offset + k.totalLength);
    };
    return {
      der: Uint8Array.from(der),
      tbs: Uint8Array.from(tbs),
      signatureAlgorithm: algorithmIdOf(cert.signatureAlgorithm),
      signature: unsignedBitString(cert.signatureValue),
      issuer: raw(2),
      subject: raw(4),
      subjectText: nameToText(t.subject),
      serial: serialHex(t.serialNumber),
      notBefore: t.validity.notBefore.getTime(),
      notAfter: t.validity.notAfter.getTime(),
      spki: raw(5),
      ...(ski ? { subjectKeyId: ski } : {}),
      ...(aki ? { authorityKeyId: aki } : {}),
      ca,
      keyCertSign,
    };
  } catch (err) {
    if (err instanceof CertificateError) throw err;
    throw new CertificateError(`malformed certificate: ${(err as Error).message}`);
  }
}

/** asn1-schema hands BIT STRING content back without the unused-bits byte. */
function unsignedBitString(v: ArrayBuffer): Uint8Array {
  return Uint8Array.from(u8(v));
}
