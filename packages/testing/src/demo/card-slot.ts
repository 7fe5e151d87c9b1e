// The demo station's card reader: the real pcscd with Debian's vsmartcard-vpcd driver, and a
// virtual CCCD per demo resident (documents signed by one demo CSCA made at start). Inserting a
// card connects that resident's virtual chip to the driver, exactly as the tests do.
import { virtualCccd, type VirtualCccd } from '../card/virtual-cccd.ts';
import { VpcdCard } from '../card/vpcd-card.ts';
import { DEMO_RESIDENTS } from './residents.ts';

export interface DemoCard {
  key: string;
  fullName: string;
  idNumber: string;
  can: string;
  sex: string;
  dateOfBirth: string;
}

export class DemoCardSlot {
  private readonly cards = new Map<string, { info: DemoCard; doc: VirtualCccd }>();
  private current: { key: string; card: VpcdCard } | undefined;
  /** PEM of the demo CSCA that signed every demo document (the hub trusts it in demo mode only). */
  readonly cscaPem: string;

  constructor(private readonly vpcdPort: number) {
    for (const r of DEMO_RESIDENTS) {
      const doc = virtualCccd({ person: r.person, cardAccess: true });
      const p = doc.doc.person;
      this.cards.set(r.key, {
        info: { key: r.key, fullName: p.fullName, idNumber: p.idNumber, can: doc.doc.can, sex: p.sex, dateOfBirth: p.dateOfBirth },
        doc,
      });
    }
    // makeTestCccd signs every document in a process with the same CSCA key.
    this.cscaPem = [...this.cards.values()][0]!.doc.doc.cscaPem;
  }

  residents(): DemoCard[] {
    return [...this.cards.values()].map((c) => c.info);
  }

  inserted(): string | null {
    return this.current?.card.inserted ? this.current.key : null;
  }

  /** Inserts this resident's card (removing another one first). */
  async insert(key: string): Promise<void> {
    const entry = this.cards.get(key);
    if (!entry) throw new RangeError(`no demo resident "${key}"`);
    if (this.inserted() === key) return;
    await this.remove();
    const card = new VpcdCard({ chip: entry.doc.chip, port: this.vpcdPort });
    card.on('error', () => {}); // a driver hiccup ends the insertion; the page shows the state
    await card.insert();
    this.current = { key, card };
  }

  async remove(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (c?.card.inserted) await c.card.remove();
  }
}
