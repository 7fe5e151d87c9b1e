// The trust anchors for Passive Authentication: CSCA certificates from PEM or DER files,
// given as files or folders (e.g. a national CSCA list unpacked to a directory).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type IcaoCertificate, parseCertificate } from './certificate.ts';
import { IcaoError } from './errors.ts';

export interface CscaStore {
  certificates: IcaoCertificate[];
}

export class CscaStoreError extends IcaoError {}

const CERT_EXTENSIONS = /\.(pem|crt|cer|der)$/i;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** A CSCA is a trust anchor for issuing Document Signers: a CA allowed to sign certificates. */
export function requireCsca(cert: IcaoCertificate, where: string): IcaoCertificate {
  if (!cert.ca || !cert.keyCertSign)
    throw new CscaStoreError(
      `${where}: ${cert.subjectText} is not a CA certificate (a CSCA needs basicConstraints cA=true and keyUsage keyCertSign)`,
    );
  return cert;
}

export function cscaStoreFromDer(certs: Uint8Array[]): CscaStore {
  return { certificates: certs.map((c, i) => requireCsca(parseCertificate(c), `certificate ${i + 1}`)) };
}

function certificatesInFile(path: string): Uint8Array[] {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => Uint8Array.from(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
    if (blocks.length === 0) throw new CscaStoreError(`${path}: PEM file without a CERTIFICATE block`);
    return blocks;
  }
  return [Uint8Array.from(bytes)];
}

function collectFiles(path: string, out: string[], explicit: boolean): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collectFiles(join(path, name), out, false);
  } else if (explicit || CERT_EXTENSIONS.test(path)) {
    out.push(path); // files named on the command line are taken whatever their extension
  }
}

/** Loads every certificate in the given files and folders; a file that does not parse, a non-CA certificate or finding none is an error. */
export function loadCscaStore(paths: string[]): CscaStore {
  const files: string[] = [];
  for (const p of paths) {
    try {
      collectFiles(p, files, true);
    } catch (err) {
      throw new CscaStoreError(`CSCA path ${p}: ${(err as Error).message}`);
    }
  }
  const certificates: IcaoCertificate[] = [];
  for (const f of files) {
    for (const der of certificatesInFile(f)) {
      let cert: IcaoCertificate;
      try {
        cert = parseCertificate(der);
      } catch (err) {
        throw new CscaStoreError(`${f}: ${(err as Error).message}`);
      }
      certificates.push(requireCsca(cert, f));
    }
  }
  // An empty store would refuse every card as "untrusted signer": say what is actually wrong.
  if (certificates.length === 0) throw new CscaStoreError(`no CSCA certificates (.pem, .crt, .cer, .der) in ${paths.join(', ')}`);
  return { certificates };
}
