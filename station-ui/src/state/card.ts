// The ID card as the agent reports it. `closed` hides a still-inserted card's identity after an idle
// reset: the page shows no name until the card is taken out and inserted again.
import { createSignal } from 'solid-js';
import type { CardAccess, CardState } from '@tram/contracts';
import { agent } from '../clients/agent.ts';

export const [card, setCardSignal] = createSignal<CardState>({ state: 'absent' });
export const [closed, setClosed] = createSignal(false);
const listeners = new Set<(now: CardState, before: CardState) => void>();

export function setCard(s: CardState) {
  const before = card();
  if (s.state !== 'verified') setClosed(false);
  setCardSignal(s);
  for (const l of listeners) l(s, before);
}
export const onCardChange = (l: (now: CardState, before: CardState) => void) => listeners.add(l);

export type Verified = Extract<CardState, { state: 'verified' }>;
/** The identified resident, unless the session was closed on this page. */
export const identified = (): Verified | null => {
  const c = card();
  return c.state === 'verified' && !closed() ? c : null;
};

export async function submitAccess(access: CardAccess) {
  await agent.cardAccess(access);
}
