// The vpcd reader slot the card tests use, found the same way in each: vpcd's first slot (port
// 35963) is "Virtual PCD 00 00", the next port the next slot. Tests start (and end) with it empty.
import assert from 'node:assert/strict';
import { VPCD_DEFAULT_PORT } from '@tram/testing/card/vpcd-card.ts';
import { CardMonitor } from '../src/card/card-monitor.ts';

export const PORT = Number(process.env.TRAM_TEST_VPCD_PORT ?? VPCD_DEFAULT_PORT);
const SLOT_SUFFIX = ` ${String(PORT - VPCD_DEFAULT_PORT).padStart(2, '0')}`;

/** A card monitor and the name of this port's vpcd reader, once the reader is empty. */
export async function vpcdReader(): Promise<{ monitor: CardMonitor; readerName: string }> {
  const monitor = await CardMonitor.start();
  const r = monitor.readers().find((x) => x.name.startsWith('Virtual PCD') && x.name.endsWith(SLOT_SUFFIX));
  assert.ok(
    r,
    `vpcd reader for port ${PORT} not found among ${monitor
      .readers()
      .map((x) => x.name)
      .join(', ')}`,
  );
  // A card left behind by an earlier run would make the first event a removal.
  await readerEmpty(monitor, r.name);
  return { monitor, readerName: r.name };
}

/** Waits until the reader has no card: the next test (and the next file) must start so. */
export const readerEmpty = (monitor: CardMonitor, readerName: string) =>
  monitor.pcsc.waitForStatus(readerName, (s) => !s.cardPresent, 5000);
