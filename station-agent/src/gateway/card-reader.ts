// Connects the kiosk's card reader (PC/SC) to the identity flow. A missing pcscd or reader is a
// state the page shows ("reader not ready"), never a crash; the agent retries in the background.
import { CardMonitor } from '../card/card-monitor.ts';
import { openCard } from '../card/reader.ts';
import { readDocument, ReadDocumentError } from '../card/read-document.ts';
import { IdentityFlow, type IdentityFlowDeps } from './identity-flow.ts';

export interface CardReaderOptions {
  reader?: string;
  flow: Omit<IdentityFlowDeps, 'readCard' | 'isAccessDenied'>;
  log?: (msg: string) => void;
}

export function startCardReader(o: CardReaderOptions): { flow: IdentityFlow; stop(): Promise<void> } {
  let monitor: CardMonitor | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const ourReader = (name: string) => !o.reader || name === o.reader;

  const flow = new IdentityFlow({
    ...o.flow,
    async readCard(access, challenge) {
      if (!monitor) throw new Error('no reader');
      const card = await openCard(monitor.pcsc, { reader: o.reader });
      try {
        const read = await readDocument(card.transport, access, { challenge });
        return { access: read.access, dataGroups: read.dataGroups, sod: read.sod, activeAuth: read.activeAuth };
      } finally {
        await card.transport.close().catch(() => {});
      }
    },
    isAccessDenied: (err) => err instanceof ReadDocumentError && (err.code === 'access-denied' || err.code === 'bad-key'),
  });

  const connect = async () => {
    if (stopped) return;
    try {
      monitor = await CardMonitor.start();
      const readers = monitor.readers().filter((r) => ourReader(r.name));
      flow.readerPresent(readers.length > 0, readers.some((r) => r.cardPresent));
      monitor.on('reader-added', (e) => { if (ourReader(e.reader)) flow.readerPresent(true); });
      monitor.on('reader-removed', (e) => { if (ourReader(e.reader)) flow.readerPresent(false); });
      monitor.on('card-inserted', (e) => { if (ourReader(e.reader)) flow.cardInserted(); });
      monitor.on('card-removed', (e) => { if (ourReader(e.reader)) flow.cardRemoved(); });
      monitor.on('error', (err) => o.log?.(`card reader: ${err.message}`));
    } catch (err) {
      o.log?.(`card reader unavailable (${(err as Error).message}); retrying`);
      flow.readerPresent(false);
      retry = setTimeout(() => void connect(), 5000);
    }
  };
  void connect();

  return {
    flow,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await monitor?.pcsc.close().catch(() => {});
    },
  };
}
