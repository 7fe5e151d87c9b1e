// Synthetic Vietnamese CCCD chip contents for tests: a test CSCA, a Document Signer issued by
// it, DG1/DG13/DG15 (and DG14 for EC Active Authentication), EF.COM, EF.CardAccess and a
// properly signed EF.SOD. Made-up people only. Keys are generated once per process.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  ContentInfo,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  Attribute,
  CertificateChoices,
  CertificateSet,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { concat, hex } from '@tram/icao/bytes.ts';
import { checkDigit } from '@tram/icao/check-digit.ts';
import { bigIntToBytes, bitString, bytesToBigInt, encodeOid, encodeUnsignedInteger, octetString, sequence } from '@tram/icao/der.ts';
import { NAMED_CURVES, OID_EC_PUBLIC_KEY } from '@tram/icao/public-key.ts';
import { OID_CONTENT_TYPE_ATTR, OID_LDS_SECURITY_OBJECT, OID_MESSAGE_DIGEST_ATTR, OID_SIGNED_DATA } from '@tram/icao/sod.ts';
import { childrenOf, encodeTlv, parseTlv } from '@tram/icao/tlv.ts';

export interface TestPerson {
  idNumber: string;
  fullName: string;
  dateOfBirth: string; // dd/mm/yyyy
  sex: string; // 'Nam' | 'Nữ'
  expiry: string; // dd/mm/yyyy
  nationality: string;
  ethnicity: string;
  religion: string;
  placeOfOrigin: string;
  placeOfResidence: string;
  identifyingMarks: string;
  dateOfIssue: string;
  fatherName: string;
  motherName: string;
  spouseName?: string;
}

export interface TestCccdOptions {
  aaKey?: 'rsa' | 'ec' | 'none';
  /** Change DG13 after the SOD was signed (Passive Authentication must report dg_hash_mismatch:13). */
  tamperDg13?: boolean;
  /** Sign with a DS issued by a look-alike CSCA (same name, other key) that is not the returned one. */
  unknownCsca?: boolean;
  /** CSCA on brainpoolP256r1 with explicit domain parameters in its SubjectPublicKeyInfo (as 9303-12 asks). */
  eccCsca?: boolean;
  /** Document Signer key and SOD signature scheme (default ECDSA P-256 with SHA-256). */
  dsKey?: 'ec' | 'rsa' | 'rsa-pss';
  /** Document Signer certificate already expired. */
  expiredDs?: boolean;
  /** Data groups left out of EF.COM's (unsigned) list though the SOD lists them: a clone hiding DG15. */
  comOmits?: number[];
}

export interface TestCccd {
  dataGroups: Map<number, Uint8Array>;
  com: Uint8Array;
  sod: Uint8Array;
  cscaDer: Uint8Array;
  cscaPem: string;
  dsDer: Uint8Array;
  aaPrivateKey?: KeyObject;
  person: TestPerson;
  mrz: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string };
  /** MRZ_information for BAC / PACE with MRZ (docNo+cd, DOB+cd, DOE+cd). */
  mrzInformation: string;
  can: string;
  cardAccess: Uint8Array;
}

export const DEFAULT_PERSON: TestPerson = {
  idNumber: '001195001234',
  fullName: 'Nguyễn Thị Mai',
  dateOfBirth: '15/03/1995',
  sex: 'Nữ',
  expiry: '15/03/2035',
  nationality: 'Việt Nam',
  ethnicity: 'Kinh',
  religion: 'Không',
  placeOfOrigin: 'Xã Thanh Lâm, Huyện Mê Linh, Hà Nội',
  placeOfResidence: '12 Phố Hàng Bông, Phường Hàng Trống, Quận Hoàn Kiếm, Hà Nội',
  identifyingMarks: 'Nốt ruồi C:1cm dưới mắt trái',
  dateOfIssue: '20/06/2021',
  fatherName: 'Nguyễn Văn Hùng',
  motherName: 'Trần Thị Lan',
};

/** EF.CardAccess as Vietnamese readers hard-code it: TA, CA, PACE-ECDH-GM-AES-128 v2 on brainpoolP256r1 (id 13). */
export const CCCD_CARD_ACCESS = hex(
  '3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d',
);

// ---- keys, generated once per process ----

type KeyKind = 'csca-rsa' | 'csca-fake' | 'csca-ec' | 'ds-ec' | 'ds-rsa' | 'aa-rsa' | 'aa-ec';
const keys = new Map<KeyKind, { privateKey: KeyObject; publicKey: KeyObject }>();

function key(kind: KeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  let k = keys.get(kind);
  if (!k) {
    if (kind === 'csca-ec') k = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    else if (kind === 'ds-ec' || kind === 'aa-ec') k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    else k = generateKeyPairSync('rsa', { modulusLength: kind === 'aa-rsa' ? 1024 : 2048 });
    keys.set(kind, k);
  }
  return k;
}

const spkiOf = (k: KeyObject) => Uint8Array.from(k.export({ type: 'spki', format: 'der' }));

/** Re-encodes a named-curve EC SPKI with explicit ECParameters (9303-12 style). */
export function explicitEcSpki(publicKey: KeyObject): Uint8Array {
  const curveName = publicKey.asymmetricKeyDetails?.namedCurve;
  const curve = NAMED_CURVES.find((c) => c.name === curveName);
  if (!curve) throw new Error(`no parameters for ${curveName}`);
  const { p, a, b, n, Gx, Gy } = curve.params;
  const size = Math.ceil(p.toString(16).length / 2);
  const params = sequence(
    encodeUnsignedInteger(1n),
    sequence(encodeOid('1.2.840.10045.1.1'), encodeUnsignedInteger(p)),
    sequence(octetString(bigIntToBytes(a, size)), octetString(bigIntToBytes(b, size))),
    octetString(concat(Uint8Array.of(4), bigIntToBytes(Gx, size), bigIntToBytes(Gy, size))),
    encodeUnsignedInteger(n),
    encodeUnsignedInteger(1n),
  );
  // The point is the BIT STRING of the named-curve SPKI (JWK has no brainpool curves).
  const point = childrenOf(parseTlv(spkiOf(publicKey)))[1]!.value.subarray(1);
  return sequence(sequence(encodeOid(OID_EC_PUBLIC_KEY), params), bitString(point));
}

// ---- certificates ----

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  idAA: '2.23.136.1.1.5',
  ecdsaPlainSha256: '0.4.0.127.0.7.1.1.4.1.3',
  utf8Charset: '1.0.10646.1.0.8',
};

type Scheme = 'rsa' | 'rsa-pss' | 'ec';

function schemeOf(k: KeyObject): Scheme {
  return k.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
}

const PSS_PARAMS = sequence(
  encodeTlv(0xa0, [sequence(encodeOid(OID.sha256))]),
  encodeTlv(0xa1, [sequence(encodeOid(OID.mgf1), sequence(encodeOid(OID.sha256)))]),
  encodeTlv(0xa2, [encodeUnsignedInteger(32n)]),
);

function algorithmFor(scheme: Scheme): AlgorithmIdentifier {
  if (scheme === 'ec') return new AlgorithmIdentifier({ algorithm: OID.ecdsaSha256 });
  if (scheme === 'rsa-pss') return new AlgorithmIdentifier({ algorithm: OID.rsaPss, parameters: PSS_PARAMS.slice().buffer });
  return new AlgorithmIdentifier({ algorithm: OID.sha256WithRSA, parameters: null });
}

function signWith(scheme: Scheme, k: KeyObject, data: Uint8Array): Uint8Array {
  if (scheme === 'rsa-pss')
    return Uint8Array.from(sign('sha256', data, { key: k, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }));
  return Uint8Array.from(sign('sha256', data, k)); // ECDSA DER or PKCS#1 v1.5
}

function name(...rdns: [string, string][]): Name {
  return new Name(
    rdns.map(
      ([type, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type,
            value: new AttributeValue(type === '2.5.4.6' ? { printableString: value } : { utf8String: value }),
          }),
        ]),
    ),
  );
}

const CSCA_NAME = () => name(['2.5.4.6', 'VN'], ['2.5.4.10', 'Tram Test PKI'], ['2.5.4.3', 'Tram Test CSCA']);
const DS_NAME = () => name(['2.5.4.6', 'VN'], ['2.5.4.10', 'Tram Test PKI'], ['2.5.4.3', 'Tram Test Document Signer']);
const keyId = (spki: Uint8Array) => Uint8Array.from(createHash('sha1').update(spki).digest());

function extension(oid: string, critical: boolean, value: Uint8Array): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}

function makeCertificate(p: {
  serial: number;
  subject: Name;
  issuer: Name;
  spki: Uint8Array;
  issuerSpki: Uint8Array;
  issuerKey: KeyObject;
  scheme: Scheme;
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
}): Uint8Array {
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: bigIntToBytes(BigInt(p.serial), 4).slice().buffer,
    signature: algorithmFor(p.scheme),
    issuer: p.issuer,
    validity: new Validity({ notBefore: p.notBefore, notAfter: p.notAfter }),
    subject: p.subject,
    subjectPublicKeyInfo: AsnConvert.parse(p.spki, SubjectPublicKeyInfo),
    extensions: new Extensions([
      ...(p.ca ? [extension('2.5.29.19', true, sequence(hex('0101FF')))] : []),
      extension('2.5.29.15', true, p.ca ? hex('03020106') : hex('03020780')),
      extension('2.5.29.14', false, octetString(keyId(p.spki))),
      extension('2.5.29.35', false, sequence(encodeTlv(0x80, keyId(p.issuerSpki)))),
    ]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithmFor(p.scheme),
    signatureValue: signWith(p.scheme, p.issuerKey, tbsDer).slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

interface Pki {
  cscaDer: Uint8Array;
  dsDer: Uint8Array;
  dsKey: KeyObject;
  dsScheme: Scheme;
}

function makePki(opts: TestCccdOptions): { trusted: Uint8Array; signing: Pki } {
  const cscaKind: KeyKind = opts.eccCsca ? 'csca-ec' : 'csca-rsa';
  const csca = (kind: KeyKind) => {
    const k = key(kind);
    const spki = kind === 'csca-ec' ? explicitEcSpki(k.publicKey) : spkiOf(k.publicKey);
    const der = makeCertificate({
      serial: 1,
      subject: CSCA_NAME(),
      issuer: CSCA_NAME(),
      spki,
      issuerSpki: spki,
      issuerKey: k.privateKey,
      scheme: schemeOf(k.privateKey),
      ca: true,
      notBefore: new Date('2015-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
    });
    return { der, spki, key: k.privateKey };
  };
  const trusted = csca(cscaKind);
  const issuer = opts.unknownCsca ? csca('csca-fake') : trusted;
  const dsKind = opts.dsKey ?? 'ec';
  const ds = key(dsKind === 'ec' ? 'ds-ec' : 'ds-rsa');
  const dsDer = makeCertificate({
    serial: 0x1001,
    subject: DS_NAME(),
    issuer: CSCA_NAME(),
    spki: spkiOf(ds.publicKey),
    issuerSpki: issuer.spki,
    issuerKey: issuer.key,
    scheme: schemeOf(issuer.key),
    ca: false,
    notBefore: opts.expiredDs ? new Date('2018-01-01T00:00:00Z') : new Date('2024-01-01T00:00:00Z'),
    notAfter: opts.expiredDs ? new Date('2021-01-01T00:00:00Z') : new Date('2040-01-01T00:00:00Z'),
  });
  return { trusted: trusted.der, signing: { cscaDer: issuer.der, dsDer, dsKey: ds.privateKey, dsScheme: dsKind } };
}

// ---- SOD ----

function attribute(oid: string, value: Uint8Array): { der: Uint8Array; attr: Attribute } {
  return {
    der: sequence(encodeOid(oid), encodeTlv(0x31, value)),
    attr: new Attribute({ attrType: oid, attrValues: [value.slice().buffer] }),
  };
}

/** CMS SignedData over the LDS Security Object, wrapped in tag 77. */
function makeSod(dataGroups: Map<number, Uint8Array>, pki: Pki): Uint8Array {
  const hashes = [...dataGroups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, bytes]) => sequence(encodeUnsignedInteger(BigInt(n)), octetString(createHash('sha256').update(bytes).digest())));
  const lso = sequence(encodeUnsignedInteger(0n), sequence(encodeOid(OID.sha256)), sequence(...hashes));

  // Signed attributes are signed as a DER SET OF: elements sorted by their encoding.
  const attrs = [
    attribute(OID_CONTENT_TYPE_ATTR, encodeOid(OID_LDS_SECURITY_OBJECT)),
    attribute(OID_MESSAGE_DIGEST_ATTR, octetString(createHash('sha256').update(lso).digest())),
  ].sort((x, y) => Buffer.compare(x.der, y.der));
  const signedAttrsDer = encodeTlv(
    0x31,
    attrs.map((a) => a.der),
  );
  const signature = signWith(pki.dsScheme, pki.dsKey, signedAttrsDer);

  const ds = AsnConvert.parse(pki.dsDer, Certificate);
  const signerInfo = new SignerInfo({
    version: 1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: ds.tbsCertificate.issuer, serialNumber: ds.tbsCertificate.serialNumber }),
    }),
    digestAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha256 }),
    signedAttrs: attrs.map((a) => a.attr),
    signatureAlgorithm: algorithmFor(pki.dsScheme),
    signature: new OctetString(signature),
  });
  const signedData = new SignedData({
    version: 3,
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: OID_LDS_SECURITY_OBJECT,
      eContent: new EncapsulatedContent({ single: new OctetString(lso) }),
    }),
    certificates: new CertificateSet([new CertificateChoices({ certificate: ds })]),
  });
  signedData.digestAlgorithms.push(new AlgorithmIdentifier({ algorithm: OID.sha256 }));
  signedData.signerInfos.push(signerInfo);
  const contentInfo = new ContentInfo({ contentType: OID_SIGNED_DATA, content: AsnConvert.serialize(signedData) });
  return encodeTlv(0x77, new Uint8Array(AsnConvert.serialize(contentInfo)));
}

// ---- data groups ----

function yymmdd(ddmmyyyy: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(ddmmyyyy);
  if (!m) throw new Error(`expected dd/mm/yyyy, got ${ddmmyyyy}`);
  return `${m[3]!.slice(2)}${m[2]}${m[1]}`;
}

/** MRZ name field: Vietnamese letters without diacritics, surname << given names. */
function mrzName(fullName: string): string {
  const ascii = fullName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z ]/g, '');
  const [surname = '', ...given] = ascii.trim().split(/\s+/);
  return `${surname}<<${given.join('<')}`.padEnd(30, '<').slice(0, 30);
}

export function cccdTd1Mrz(p: Pick<TestPerson, 'idNumber' | 'fullName' | 'dateOfBirth' | 'sex' | 'expiry'>): string {
  const doc = p.idNumber.slice(3);
  const l1 = `IDVNM${doc}${checkDigit(doc)}${p.idNumber}<<${checkDigit(p.idNumber)}`;
  const dob = yymmdd(p.dateOfBirth);
  const doe = yymmdd(p.expiry);
  const l2head = `${dob}${checkDigit(dob)}${p.sex === 'Nữ' ? 'F' : 'M'}${doe}${checkDigit(doe)}VNM${'<'.repeat(11)}`;
  const composite = l1.slice(5, 30) + l2head.slice(0, 7) + l2head.slice(8, 15) + l2head.slice(18, 29);
  return l1 + l2head + checkDigit(composite) + mrzName(p.fullName);
}

const utf8 = (s: string) => encodeTlv(0x0c, new TextEncoder().encode(s));
const field = (n: number, ...values: Uint8Array[]) => sequence(encodeUnsignedInteger(BigInt(n)), ...values);

function makeDg13(p: TestPerson): Uint8Array {
  const fields = [
    field(1, utf8(p.idNumber)),
    field(2, utf8(p.fullName)),
    field(3, utf8(p.dateOfBirth)),
    field(4, utf8(p.sex)),
    field(5, utf8(p.nationality)),
    field(6, utf8(p.ethnicity)),
    field(7, utf8(p.religion)),
    field(8, utf8(p.placeOfOrigin)),
    field(9, utf8(p.placeOfResidence)),
    field(10, utf8(p.identifyingMarks)),
    field(11, utf8(p.dateOfIssue)),
    field(12, utf8(p.expiry)),
    field(13, sequence(utf8(p.fatherName)), sequence(utf8(p.motherName))),
    ...(p.spouseName ? [field(14, sequence(utf8(p.spouseName)))] : []),
    field(15, utf8('')),
  ];
  return encodeTlv(0x6d, [sequence(encodeUnsignedInteger(1n), encodeOid(OID.utf8Charset), encodeTlv(0x31, fields))]);
}

/**
 * Builds a synthetic CCCD. Without options: RSA CSCA, ECDSA P-256 Document Signer, RSA-1024
 * Active Authentication key, all valid today.
 */
export function makeTestCccd(person: Partial<TestPerson> = {}, opts: TestCccdOptions = {}): TestCccd {
  const p: TestPerson = { ...DEFAULT_PERSON, ...person };
  if (!/^\d{12}$/.test(p.idNumber)) throw new Error('idNumber must be 12 digits');
  const mrz = cccdTd1Mrz(p);
  const dataGroups = new Map<number, Uint8Array>();
  dataGroups.set(1, encodeTlv(0x61, [encodeTlv(0x5f1f, new TextEncoder().encode(mrz))]));
  dataGroups.set(13, makeDg13(p));
  const aa = opts.aaKey ?? 'rsa';
  let aaPrivateKey: KeyObject | undefined;
  if (aa !== 'none') {
    const k = key(aa === 'ec' ? 'aa-ec' : 'aa-rsa');
    aaPrivateKey = k.privateKey;
    if (aa === 'ec') {
      // DG14 ActiveAuthenticationInfo tells the terminal which hash the chip uses with ECDSA.
      const aaInfo = sequence(encodeOid(OID.idAA), encodeUnsignedInteger(1n), encodeOid(OID.ecdsaPlainSha256));
      dataGroups.set(14, encodeTlv(0x6e, [encodeTlv(0x31, [aaInfo])]));
    }
    dataGroups.set(15, encodeTlv(0x6f, spkiOf(k.publicKey)));
  }
  const tagOf: Record<number, number> = { 1: 0x61, 13: 0x6d, 14: 0x6e, 15: 0x6f };
  const com = encodeTlv(0x60, [
    encodeTlv(0x5f01, new TextEncoder().encode('0107')),
    encodeTlv(0x5f36, new TextEncoder().encode('040000')),
    encodeTlv(0x5c, Uint8Array.from([...dataGroups.keys()].filter((n) => !opts.comOmits?.includes(n)).map((n) => tagOf[n]!))),
  ]);

  const pki = makePki(opts);
  const sod = makeSod(dataGroups, pki.signing);
  if (opts.tamperDg13) {
    // Same length, different name: only the hash can tell.
    dataGroups.set(13, makeDg13({ ...p, fullName: p.fullName.replace(/.$/, (c) => (c === 'X' ? 'Y' : 'X')) }));
  }
  const cscaDer = pki.trusted;
  return {
    dataGroups,
    com,
    sod,
    cscaDer,
    cscaPem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(cscaDer).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    dsDer: pki.signing.dsDer,
    ...(aaPrivateKey ? { aaPrivateKey } : {}),
    person: p,
    mrz: { documentNumber: p.idNumber.slice(3), dateOfBirth: yymmdd(p.dateOfBirth), dateOfExpiry: yymmdd(p.expiry) },
    mrzInformation: mrz.slice(5, 15) + mrz.slice(30, 37) + mrz.slice(38, 45),
    can: p.idNumber.slice(6),
    cardAccess: Uint8Array.from(CCCD_CARD_ACCESS),
  };
}

// ---- the chip's side of Active Authentication (for simulated chips) ----

/**
 * Signs an INTERNAL AUTHENTICATE challenge like a chip: RSA with ISO/IEC 9796-2 scheme 1
 * (partial recovery, SHA-1, trailer BC), EC with plain r‖s over SHA-256.
 */
export function signActiveChallenge(privateKey: KeyObject, challenge: Uint8Array): Uint8Array {
  if (privateKey.asymmetricKeyType === 'ec')
    return Uint8Array.from(sign('sha256', challenge, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  const jwk = privateKey.export({ format: 'jwk' });
  const nBytes = Buffer.from(jwk.n!, 'base64url');
  const n = bytesToBigInt(nBytes);
  const d = bytesToBigInt(Buffer.from(jwk.d!, 'base64url'));
  const k = nBytes.length;
  const m1 = randomBytes(k - 22); // header 6A + M1 + SHA-1 (20) + trailer BC fill k bytes
  const h = createHash('sha1').update(m1).update(challenge).digest();
  const f = bytesToBigInt(concat(Uint8Array.of(0x6a), m1, h, Uint8Array.of(0xbc)));
  let s = 1n;
  let base = f % n;
  for (let e = d; e > 0n; e >>= 1n) {
    if (e & 1n) s = (s * base) % n;
    base = (base * base) % n;
  }
  return bigIntToBytes(s, k);
}
