// Child of pcsc-close.test.ts: opens a PC/SC context, makes the reader's state change (a card in or
// out), closes the context as soon as its status event lands, and says so; ROUNDS times.
import { once } from 'node:events';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { Pcsc } from '../src/card/pcsc.ts';
import { PORT } from './vpcd-reader.ts';

const ROUNDS = Number(process.argv[2]);
const v = virtualCccd({ doc: { aaKey: 'none' } });
const card = new VpcdCard({ chip: v.chip, port: PORT });
let inserted = false;
for (let i = 0; i < ROUNDS; i++) {
  const pcsc = await Pcsc.open();
  const changed = once(pcsc, 'status');
  if (inserted) await card.remove();
  else await card.insert();
  inserted = !inserted;
  await changed;
  await pcsc.close();
  console.log(`closed ${i + 1}`);
}
if (inserted) await card.remove();
