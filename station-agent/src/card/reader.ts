// Choosing a reader and connecting to the card in it, plus what the ATR says about the card.
import { type ConnectOptions, type Pcsc, PcscError, type PcscTransport, type ReaderStatus } from './pcsc.ts';

/**
 * The named reader (exact name, else a unique case-insensitive substring), or the first reader
 * holding a card, or the first reader. Throws PcscError('no-reader').
 */
export function pickReader(readers: readonly ReaderStatus[], name?: string): ReaderStatus {
  if (readers.length === 0) throw new PcscError('no-reader', 'no smart-card reader found (is it plugged in, and is pcscd running?)');
  if (name !== undefined) {
    const exact = readers.find((r) => r.name === name);
    if (exact) return exact;
    const partial = readers.filter((r) => r.name.toLowerCase().includes(name.toLowerCase()));
    if (partial.length === 1) return partial[0]!;
    const list = readers.map((r) => r.name).join(', ');
    throw new PcscError(
      'no-reader',
      partial.length === 0
        ? `no reader matches ${JSON.stringify(name)}; readers: ${list}`
        : `${JSON.stringify(name)} matches several readers: ${list}`,
    );
  }
  return readers.find((r) => r.cardPresent) ?? readers[0]!;
}

export interface AtrInfo {
  /** From the card capabilities in the historical bytes; undefined when the ATR does not say. */
  extendedLength?: boolean;
  historical: Uint8Array;
}

/**
 * Parses an ATR (ISO 7816-3) far enough to find the historical bytes and, in their COMPACT-TLV
 * (category 00 or 80), the card capabilities object 7x whose third byte's b7 means extended Lc/Le.
 * Anything malformed yields "unknown" rather than an error: the ATR is only a hint.
 */
export function parseAtr(atr: Uint8Array): AtrInfo {
  const none: AtrInfo = { historical: new Uint8Array(0) };
  if (atr.length < 2) return none;
  const k = atr[1]! & 0x0f;
  let y = atr[1]! >> 4;
  let i = 2;
  // Interface bytes: each TDi announces which of TA/TB/TC/TD(i+1) follow.
  for (;;) {
    for (const bit of [1, 2, 4]) if (y & bit) i++;
    if (!(y & 8)) break;
    if (i >= atr.length) return none;
    y = atr[i]! >> 4;
    i++;
  }
  if (i + k > atr.length) return none;
  const historical = atr.slice(i, i + k);
  const info: AtrInfo = { historical };
  if (historical[0] !== 0x80 && historical[0] !== 0x00) return info;
  let j = 1;
  const end = historical[0] === 0x00 ? historical.length - 3 : historical.length; // 00: status is the last 3 bytes
  while (j < end) {
    const tag = historical[j]! >> 4;
    const len = historical[j]! & 0x0f;
    if (j + 1 + len > end) break;
    if (tag === 7 && len >= 3) info.extendedLength = (historical[j + 3]! & 0x40) !== 0;
    j += 1 + len;
  }
  return info;
}

export interface OpenedCard {
  transport: PcscTransport;
  reader: string;
  atr: Uint8Array;
  atrInfo: AtrInfo;
}

/**
 * Connects to the card in the chosen reader, waiting up to `waitMs` for one to be inserted.
 * Throws PcscError 'no-reader' / 'no-card' / 'busy' / 'card-mute' with a message for people.
 */
export async function openCard(pcsc: Pcsc, opts: ConnectOptions & { reader?: string; waitMs?: number } = {}): Promise<OpenedCard> {
  const chosen = pickReader(pcsc.readers(), opts.reader);
  if (!chosen.cardPresent) {
    if (!opts.waitMs) throw new PcscError('no-card', `no card in reader ${chosen.name}`);
    await pcsc
      .waitForStatus(chosen.name, (s) => s.cardPresent, opts.waitMs)
      .catch((err: unknown) => {
        if (err instanceof PcscError && err.code === 'timeout')
          throw new PcscError('no-card', `no card was inserted in ${chosen.name} within ${opts.waitMs} ms`);
        throw err; // e.g. 'closed': the context was closed while waiting (Ctrl+C)
      });
  }
  const transport = await pcsc.connect(chosen.name, opts);
  return { transport, reader: chosen.name, atr: transport.atr, atrInfo: parseAtr(transport.atr) };
}
