// EF.SOD (ICAO 9303-10 §4.6.2): tag 77 wrapping a CMS SignedData (RFC 5652) whose content is the
// LDS Security Object (9303-10 Appendix D): version, hash algorithm, the hash of every data group.
// The CMS layers are parsed with @peculiar/asn1-cms; byte-exact pieces (signed attributes,
// certificates, the LDS object) are taken from the encoding itself with the strict TLV parser.
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { algorithmIdOf, nameToText, serialHex } from './certificate.ts';
import { oidOf, TAG, unsignedIntegerOf } from './der.ts';
import { IcaoError } from './errors.ts';
import { type AlgorithmId, HASH_BY_OID } from './signature.ts';
import { childrenOf, expectTlv, parseTlv, type Tlv } from './tlv.ts';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_LDS_SECURITY_OBJECT = '2.23.136.1.1.1';
export const OID_CONTENT_TYPE_ATTR = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST_ATTR = '1.2.840.113549.1.9.4';
const SOD_TAG = 0x77;
const HASH_LENGTH: Readonly<Record<string, number>> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

export class SodError extends IcaoError {}

export interface LdsSecurityObject {
  version: number;
  /** node:crypto hash name, e.g. 'sha256'. */
  hashAlgorithm: string;
  dataGroupHashes: Map<number, Uint8Array>;
  ldsVersion?: { lds: string; unicode: string };
}

export type SignerId = { issuer: Uint8Array; issuerText: string; serial: string } | { subjectKeyId: Uint8Array };

export interface Sod {
  lso: LdsSecurityObject;
  /** The encapsulated content (DER of the LDS Security Object): what messageDigest covers. */
  eContent: Uint8Array;
  eContentType: string;
  /** SignerInfo digestAlgorithm as a node:crypto hash name. */
  signerDigest: string;
  /** Signed attributes re-tagged as SET (31), exactly as they are signed (RFC 5652 §5.4). */
  signedAttributes: Uint8Array;
  contentTypeAttr: string;
  messageDigest: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  /** Certificates carried in the SOD (the Document Signer), as DER. */
  certificates: Uint8Array[];
  signerId: SignerId;
}

const u8 = (b: ArrayBuffer) => new Uint8Array(b);

function fail(message: string): never {
  throw new SodError(message);
}

function hashName(oid: string): string {
  return HASH_BY_OID[oid] ?? fail(`unsupported hash algorithm ${oid}`);
}

function smallInt(t: Tlv | undefined, what: string, max: number): number {
  const v = unsignedIntegerOf(t);
  if (t!.value[0]! & 0x80 || v > BigInt(max)) fail(`${what} out of range`);
  return Number(v);
}

function printable(t: Tlv | undefined): string {
  if (t?.tag !== 0x13) fail('LDS version info is not a PrintableString');
  return Buffer.from(t.value).toString('latin1');
}

export function parseLdsSecurityObject(der: Uint8Array): LdsSecurityObject {
  const [version, algorithm, hashes, versionInfo, ...rest] = childrenOf(expectTlv(der, TAG.SEQUENCE));
  if (rest.length > 0) fail('LDS Security Object has extra fields');
  const v = smallInt(version, 'LDS Security Object version', 1);
  if (!algorithm || algorithm.tag !== TAG.SEQUENCE) fail('LDS Security Object hash algorithm missing');
  const hashAlgorithm = hashName(oidOf(childrenOf(algorithm)[0]));
  if (!hashes || hashes.tag !== TAG.SEQUENCE) fail('LDS Security Object has no data group hashes');
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const item of childrenOf(hashes)) {
    if (item.tag !== TAG.SEQUENCE) fail('DataGroupHash is not a SEQUENCE');
    const [num, hash, ...extra] = childrenOf(item);
    const n = smallInt(num, 'data group number', 16);
    if (n < 1 || extra.length > 0) fail('malformed DataGroupHash');
    if (!hash || hash.tag !== TAG.OCTET_STRING || hash.length !== HASH_LENGTH[hashAlgorithm]) fail(`hash of DG${n} has the wrong length`);
    if (dataGroupHashes.has(n)) fail(`DG${n} listed twice`);
    dataGroupHashes.set(n, Uint8Array.from(hash.value));
  }
  const lso: LdsSecurityObject = { version: v, hashAlgorithm, dataGroupHashes };
  if (versionInfo) {
    // Present only in version 1 (LDS 1.8); {ldsVersion, unicodeVersion}.
    if (v !== 1 || versionInfo.tag !== TAG.SEQUENCE) fail('unexpected LDS version info');
    const [lds, unicode] = childrenOf(versionInfo);
    lso.ldsVersion = { lds: printable(lds), unicode: printable(unicode) };
  }
  return lso;
}

/**
 * Raw certificates and signed attributes from the SignedData encoding (byte-exact), checking
 * strictly the unsigned framing the CMS library would accept loosely: versions and the
 * digestAlgorithms set (RFC 5652 §5.1, §5.3).
 */
function rawParts(signedDataDer: Uint8Array, signerDigestOid: string): { certificates: Uint8Array[]; signedAttrs?: Uint8Array } {
  const seq = expectTlv(signedDataDer, TAG.SEQUENCE);
  const kids = childrenOf(seq);
  const version = smallInt(kids[0], 'SignedData version', 5);
  if (version !== 1 && version !== 3) fail(`SignedData version ${version}`);
  const digests = kids[1];
  if (!digests || digests.tag !== TAG.SET) fail('SignedData has no digestAlgorithms');
  const digestOids = childrenOf(digests).map((a) => {
    if (a.tag !== TAG.SEQUENCE) fail('malformed digest AlgorithmIdentifier');
    return oidOf(childrenOf(a)[0]);
  });
  if (!digestOids.includes(signerDigestOid)) fail('the signer digest algorithm is not among digestAlgorithms');
  const slice = (parent: Tlv, t: Tlv) => parent.value.slice(t.offset, t.offset + t.totalLength);
  const certSet = kids.find((k) => k.tag === 0xa0);
  const certificates = certSet
    ? childrenOf(certSet)
        .filter((c) => c.tag === TAG.SEQUENCE)
        .map((c) => slice(certSet, c))
    : [];
  const signerInfos = kids[kids.length - 1];
  if (!signerInfos || signerInfos.tag !== TAG.SET) fail('SignedData has no signerInfos');
  const infos = childrenOf(signerInfos);
  if (infos.length !== 1) fail(`SOD must have exactly one SignerInfo, found ${infos.length}`);
  const infoKids = childrenOf(infos[0]!);
  const infoVersion = smallInt(infoKids[0], 'SignerInfo version', 5);
  // v1 goes with issuerAndSerialNumber (a SEQUENCE), v3 with [0] subjectKeyIdentifier.
  if (!((infoVersion === 1 && infoKids[1]?.tag === TAG.SEQUENCE) || (infoVersion === 3 && infoKids[1]?.tag === 0x80)))
    fail('SignerInfo version does not match its signer identifier');
  const attrs = infoKids.find((k) => k.tag === 0xa0);
  if (!attrs) return { certificates };
  const signedAttrs = slice(infos[0]!, attrs);
  signedAttrs[0] = TAG.SET; // signed with the universal SET tag, not [0] IMPLICIT
  return { certificates, signedAttrs };
}

function singleAttribute(attrs: { attrType: string; attrValues: ArrayBuffer[] }[], oid: string): Tlv {
  const found = attrs.filter((a) => a.attrType === oid);
  if (found.length !== 1 || found[0]!.attrValues.length !== 1) fail(`signed attribute ${oid} must appear once with one value`);
  return parseTlv(u8(found[0]!.attrValues[0]!));
}

/** Parses EF.SOD. Throws SodError on anything malformed or unsupported (never a library error). */
export function parseSod(file: Uint8Array): Sod {
  try {
    return parse(file);
  } catch (err) {
    if (err instanceof SodError) throw err;
    throw new SodError(`malformed EF.SOD: ${(err as Error).message}`);
  }
}

function parse(file: Uint8Array): Sod {
  const outer = expectTlv(file, SOD_TAG);
  const ci = AsnConvert.parse(outer.value, ContentInfo);
  if (ci.contentType !== OID_SIGNED_DATA) fail(`EF.SOD content type is ${ci.contentType}, not SignedData`);
  const signedDataDer = u8(ci.content);
  const sd = AsnConvert.parse(signedDataDer, SignedData);
  const eci = sd.encapContentInfo;
  const eContentBuf = eci.eContent?.single?.buffer ?? eci.eContent?.any;
  if (!eContentBuf) fail('SignedData has no encapsulated content');
  const eContent = Uint8Array.from(u8(eContentBuf));
  if (eci.eContentType !== OID_LDS_SECURITY_OBJECT) fail(`eContentType is ${eci.eContentType}, not the LDS Security Object`);

  const si = sd.signerInfos[0];
  if (!si || sd.signerInfos.length !== 1) fail('SOD must have exactly one SignerInfo');
  const { certificates, signedAttrs } = rawParts(signedDataDer, si.digestAlgorithm.algorithm);
  if (!signedAttrs || !si.signedAttrs) fail('SignerInfo has no signed attributes (9303-10 requires them)');
  const contentType = singleAttribute(si.signedAttrs, OID_CONTENT_TYPE_ATTR);
  const digest = singleAttribute(si.signedAttrs, OID_MESSAGE_DIGEST_ATTR);
  if (digest.tag !== TAG.OCTET_STRING) fail('messageDigest is not an OCTET STRING');

  let signerId: SignerId;
  if (si.sid.issuerAndSerialNumber) {
    const ias = si.sid.issuerAndSerialNumber;
    signerId = { issuer: u8(AsnConvert.serialize(ias.issuer)), issuerText: nameToText(ias.issuer), serial: serialHex(ias.serialNumber) };
  } else if (si.sid.subjectKeyIdentifier) {
    signerId = { subjectKeyId: Uint8Array.from(u8(si.sid.subjectKeyIdentifier.buffer)) };
  } else fail('SignerInfo has no signer identifier');

  return {
    lso: parseLdsSecurityObject(eContent),
    eContent,
    eContentType: eci.eContentType,
    signerDigest: hashName(si.digestAlgorithm.algorithm),
    signedAttributes: signedAttrs,
    contentTypeAttr: oidOf(contentType),
    messageDigest: Uint8Array.from(digest.value),
    signatureAlgorithm: algorithmIdOf(si.signatureAlgorithm),
    signature: Uint8Array.from(u8(si.signature.buffer)),
    certificates,
    signerId,
  };
}
