// Installer / support command: reads the card in a reader and prints one JSON object with the
// identity fields, which checks passed and the APDU count. Exit 0 when everything attempted passed,
// 1 on any failure (message on stderr), 2 on bad usage.
//   npm run card -- read --id <12 digits> --dob <YYMMDD> --expiry <YYMMDD> [--reader <name>] [--csca <file|folder>]
//   npm run card -- read --can <6 digits> [...]
//   npm run card -- readers
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseDg1 } from '@tram/icao/dg1.ts';
import { parseDg13 } from '@tram/icao/dg13.ts';
import { verifyActive } from '@tram/icao/active-auth.ts';
import { type CscaStore, loadCscaStore, verifyPassive } from '@tram/icao/passive-auth.ts';
import { toHex } from './bytes.ts';
import { Pcsc } from './pcsc.ts';
import { type AccessKey, readDocument } from './read-document.ts';
import { openCard } from './reader.ts';

const USAGE = `usage:
  npm run card -- read --id <12 digits> --dob <YYMMDD> --expiry <YYMMDD> [--reader <name>] [--csca <file or folder>] [--face] [--wait <seconds>]
  npm run card -- read --can <6 digits> [same options]
  npm run card -- readers`;

export class UsageError extends Error {}

export interface DiagArgs {
  command: 'read' | 'readers';
  access?: AccessKey;
  reader?: string;
  csca?: string[];
  face: boolean;
  waitMs: number;
}

export function parseArgs(argv: readonly string[]): DiagArgs {
  const [command, ...rest] = argv;
  if (command !== 'read' && command !== 'readers')
    throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : 'missing command');
  const values = new Map<string, string[]>();
  let face = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--face') {
      face = true;
      continue;
    }
    const m = /^--(id|dob|expiry|can|reader|csca|wait)(?:=(.*))?$/.exec(a);
    if (!m) throw new UsageError(`unknown option ${JSON.stringify(a)}`);
    const v = m[2] ?? rest[++i];
    if (v === undefined || v === '') throw new UsageError(`--${m[1]} needs a value`);
    values.set(m[1]!, [...(values.get(m[1]!) ?? []), v]);
  }
  const one = (k: string) => {
    const v = values.get(k);
    if (v && v.length > 1) throw new UsageError(`--${k} given twice`);
    return v?.[0];
  };
  const waitS = Number(one('wait') ?? 10);
  if (!Number.isFinite(waitS) || waitS < 0 || waitS > 600) throw new UsageError('--wait must be 0..600 seconds');
  const args: DiagArgs = { command, reader: one('reader'), csca: values.get('csca'), face, waitMs: waitS * 1000 };
  if (command === 'readers') return args;
  const [id, dob, expiry, can] = [one('id'), one('dob'), one('expiry'), one('can')];
  if (can !== undefined) {
    if (id || dob || expiry) throw new UsageError('give either --can or --id/--dob/--expiry, not both');
    if (!/^\d{6}$/.test(can)) throw new UsageError('--can must be 6 digits');
    args.access = { can };
  } else {
    if (!id || !dob || !expiry) throw new UsageError('--id, --dob and --expiry are all needed (or --can)');
    if (!/^\d{12}$/.test(id)) throw new UsageError('--id must be the 12-digit ID number');
    if (!/^\d{6}$/.test(dob) || !/^\d{6}$/.test(expiry)) throw new UsageError('--dob and --expiry must be YYMMDD');
    args.access = { idNumber: id, dateOfBirth: dob, dateOfExpiry: expiry };
  }
  return args;
}

/** The ATR of the card in `reader`, through a shared connection left as it was (undefined if another program holds it). */
async function readAtr(pcsc: Pcsc, reader: string): Promise<string | undefined> {
  try {
    const t = await pcsc.connect(reader, { shared: true });
    await t.close('leave');
    return toHex(t.atr);
  } catch {
    return undefined;
  }
}

type CheckResult = 'passed' | 'failed' | 'not-supported' | 'not-checked';

export interface Output {
  write(line: string): void;
  error(line: string): void;
}

/** Runs the command; returns the exit code. `pcscOpen` is injectable so tests share their context. */
export async function runDiag(argv: readonly string[], out: Output, pcscOpen: () => Promise<Pcsc> = () => Pcsc.open()): Promise<number> {
  let args: DiagArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.error(`card: ${err.message}\n${USAGE}`);
    return 2;
  }
  // The trust store is checked before the card is touched: a wrong path fails now, plainly.
  let store: CscaStore | undefined;
  if (args.csca?.length) {
    try {
      store = loadCscaStore(args.csca);
    } catch (err) {
      out.error(`card: --csca: ${(err as Error).message}`);
      return 2;
    }
  }
  let pcsc: Pcsc | undefined;
  try {
    pcsc = await pcscOpen();
    if (args.command === 'readers') {
      const readers = [];
      for (const r of pcsc.readers())
        readers.push({ name: r.name, cardPresent: r.cardPresent, atr: r.cardPresent ? await readAtr(pcsc, r.name) : undefined });
      out.write(JSON.stringify({ readers }));
      return 0;
    }
    const started = performance.now();
    if (!pcsc.readers().some((r) => r.cardPresent) && args.waitMs > 0) out.error('card: waiting for a card…');
    const card = await openCard(pcsc, { reader: args.reader, waitMs: args.waitMs });
    const challenge = new Uint8Array(randomBytes(8));
    let doc: Awaited<ReturnType<typeof readDocument>>;
    try {
      doc = await readDocument(card.transport, args.access!, {
        challenge,
        withFace: args.face,
        extendedLength: card.atrInfo.extendedLength,
      });
    } finally {
      await card.transport.close();
    }
    const mrz = parseDg1(doc.dataGroups.get(1)!);
    const personal = parseDg13(doc.dataGroups.get(13)!);
    const failures: string[] = [];

    // The data groups are always compared with EF.SOD (no certificate needed for that); only the
    // signature chain needs --csca. DG2 is compared too when it was read.
    const r = verifyPassive(doc.sod, doc.dataGroups, store ?? { certificates: [] });
    const hashFailures = r.failures.filter((f) => f.startsWith('dg_') || f === 'sod_malformed');
    const dataGroupHashes: CheckResult = hashFailures.length ? 'failed' : 'passed';
    if (hashFailures.length) failures.push(`the data groups do not match EF.SOD: ${hashFailures.join(', ')}`);
    let passive: CheckResult = 'not-checked';
    let passiveDetail: Record<string, unknown> | undefined;
    if (store) {
      passive = r.ok ? 'passed' : 'failed';
      passiveDetail = {
        hashAlgorithm: r.hashAlgorithm,
        documentSigner: r.signer?.subject,
        checkedGroups: r.checkedGroups,
        failures: r.failures,
      };
      const signerFailures = r.failures.filter((f) => !hashFailures.includes(f));
      if (signerFailures.length) failures.push(`passive authentication failed: ${signerFailures.join(', ')}`);
    }
    if (r.listedGroups.includes(15) && !doc.dataGroups.has(15)) failures.push('EF.SOD lists DG15 but the chip gave none: possibly a clone');
    let active: CheckResult = 'not-supported';
    const dg15 = doc.dataGroups.get(15);
    if (dg15 && doc.activeAuth) {
      const dg14 = doc.dataGroups.get(14);
      const r = verifyActive(dg15, doc.activeAuth.challenge, doc.activeAuth.signature, dg14 ? { dg14 } : {});
      active = r.ok ? 'passed' : 'failed';
      if (!r.ok) failures.push(`active authentication failed${r.failure ? `: ${r.failure}` : ''}`);
    }
    const mrzChecksOk = Object.values(mrz.checks).every(Boolean);
    if (!mrzChecksOk) failures.push('DG1 MRZ check digits do not match');
    // BAC uses only the last 9 digits: a typed number that differs in its first 3 still opens the card.
    const chipId = personal.idNumber ?? mrz.cccdIdNumber;
    const typedId = args.access && 'idNumber' in args.access ? args.access.idNumber : undefined;
    if (typedId && chipId !== typedId)
      failures.push(`--id ${typedId} opened the card (its last 9 digits match) but the chip's ID number is ${chipId}`);

    out.write(
      JSON.stringify({
        reader: card.reader,
        identity: {
          idNumber: chipId,
          fullName: personal.fullName,
          dateOfBirth: personal.dateOfBirth,
          sex: personal.sex,
          nationality: personal.nationality,
          placeOfOrigin: personal.placeOfOrigin,
          placeOfResidence: personal.placeOfResidence,
          dateOfIssue: personal.dateOfIssue,
          dateOfExpiry: personal.dateOfExpiry,
          documentNumber: mrz.documentNumber,
          mrzName: `${mrz.primaryIdentifier} ${mrz.secondaryIdentifier}`.trim(),
        },
        checks: {
          access: doc.access,
          mrzCheckDigits: mrzChecksOk ? 'passed' : 'failed',
          dataGroupHashes,
          passiveAuthentication: passive,
          ...(passiveDetail ? { passiveAuthenticationDetail: passiveDetail } : {}),
          activeAuthentication: active,
        },
        dataGroups: [...doc.dataGroups.keys()].sort((a, b) => a - b),
        apduCount: doc.apduCount,
        extendedLength: doc.extendedLength,
        ms: Math.round(performance.now() - started),
      }),
    );
    for (const f of failures) out.error(`card: ${f}`);
    return failures.length ? 1 : 0;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    out.error(`card: ${err instanceof Error ? err.message : String(err)}${typeof code === 'string' ? ` [${code}]` : ''}`);
    return 1;
  } finally {
    await pcsc?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The command ends when its work is done (runDiag closes the PC/SC context, the only thing that
  // keeps the process alive) and on Ctrl+C: then the reader is released (the card reset) first.
  let pcsc: Pcsc | undefined;
  let stopping = false;
  const interrupt = (signal: NodeJS.Signals) => {
    stopping = true; // what fails after this is the interruption itself, not news
    console.error(`card: ${signal}, stopping`);
    const released = pcsc?.close().catch(() => {}) ?? Promise.resolve();
    void Promise.race([released, new Promise((r) => setTimeout(r, 2000).unref())]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const io: Output = { write: (l) => stopping || console.log(l), error: (l) => stopping || console.error(l) };
  const code = await runDiag(process.argv.slice(2), io, async () => (pcsc = await Pcsc.open()));
  process.exitCode = code;
}
