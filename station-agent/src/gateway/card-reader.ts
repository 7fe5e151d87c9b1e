// Connects the kiosk's card reader (PC/SC) to the identity flow. A missing pcscd or reader is a
// state the page shows ("reader not ready"), never a crash; the agent retries in the background
// and says so in the log once, then only when the reason changes or the reader is back.
import { CardMonitor } from '../card/card-monitor.ts';
import type { PcscError } from '../card/pcsc.ts';
import { openCard } from '../card/reader.ts';
import { readDocument, ReadDocumentError } from '../card/read-document.ts';
import { ChangeLog } from '../log-on-change.ts';
import { IdentityFlow, type IdentityFlowDeps } from './identity-flow.ts';

export interface CardReaderOptions {
  reader?: string;
  flow: Omit<IdentityFlowDeps, 'readCard' | 'isAccessDenied'>;
  log?: (msg: string) => void;
  /** How long to wait before trying PC/SC again after it failed (default 5 s). */
  retryMs?: number;
}

export function startCardReader(o: CardReaderOptions): { flow: IdentityFlow; stop(): Promise<void> } {
  let monitor: CardMonitor | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;
  const retryMs = o.retryMs ?? 5000;
  const unavailable = (why: string) =>
    `card reader unavailable (${why}); retrying every ${retryMs >= 1000 ? `${retryMs / 1000} s` : `${retryMs} ms`}`;
  const ourReader = (name: string) => !o.reader || name === o.reader;
  const log = new ChangeLog((m) => o.log?.(m));

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

  /** Tells the flow whether our reader is there, and the log when that changed. */
  const showReaders = (m: CardMonitor) => {
    const all = m.readers();
    const ours = all.filter((r) => ourReader(r.name));
    flow.readerPresent(
      ours.length > 0,
      ours.some((r) => r.cardPresent),
    );
    if (ours.length > 0) log.clear('reader', `card reader ready: ${ours.map((r) => r.name).join(', ')}`);
    else
      log.say(
        'reader',
        o.reader
          ? `card reader ${JSON.stringify(o.reader)} not found (readers: ${all.map((r) => r.name).join(', ') || 'none'})`
          : 'no card reader connected',
      );
  };

  const scheduleRetry = () => {
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => {
      connecting = connect();
    }, retryMs);
  };

  const connect = async () => {
    if (stopped) return;
    let m: CardMonitor;
    try {
      m = await CardMonitor.start();
    } catch (err) {
      log.say('pcsc', unavailable((err as Error).message));
      flow.readerPresent(false);
      return scheduleRetry();
    }
    if (stopped) return void (await m.close());
    monitor = m;
    log.clear('pcsc', 'PC/SC is back');
    showReaders(m);
    m.on('reader-added', () => showReaders(m));
    m.on('reader-removed', () => showReaders(m));
    m.on('card-inserted', (e) => {
      if (ourReader(e.reader)) flow.cardInserted();
    });
    m.on('card-removed', (e) => {
      if (ourReader(e.reader)) flow.cardRemoved();
    });
    m.on('error', (err) => log.say('monitor', `card reader: ${err.message}`));
    // pcscd stopped under us: the context is dead, open a new one when pcscd is back.
    m.on('ended', (err: PcscError) => {
      if (monitor !== m) return;
      monitor = undefined;
      log.say('pcsc', unavailable(err.message));
      flow.readerPresent(false);
      void m.close().finally(scheduleRetry);
    });
  };
  connecting = connect();

  return {
    flow,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await connecting; // an open under way closes its own context once it sees `stopped`
      await monitor?.close().catch(() => {});
    },
  };
}
