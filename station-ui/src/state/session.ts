// Back to the start with nothing personal left: on card removal, idle timeout, the hub ending the
// citizen session, or at the end of a consult. Clears every store that held the resident's data.
import { setLang } from '../i18n/index.ts';
import { card, identified, onCardChange, setClosed } from './card.ts';
import { go, screen } from './navigation.ts';
import { clearVitals } from './vitals.ts';
import { cancelConsult, clearConsult, consult } from './consult.ts';
import { stopVoice } from './voice.ts';
import { call, sos } from './sos.ts';
import { callback, incoming } from './followup.ts';
import { startIdleClock } from './idle.ts';

/** `closeCard`: a still-inserted card stays hidden (no name) until it is removed. */
export function resetToStart(closeCard: boolean) {
  const c = consult();
  if (c && (c.status === 'waiting' || c.status === 'in_call')) void cancelConsult();
  clearConsult();
  clearVitals();
  stopVoice();
  if (closeCard && card().state === 'verified') setClosed(true);
  go('home');
  setLang('vi');
  window.scrollTo(0, 0);
}

/** Anything on screen worth protecting, and nobody in a call or waiting for a doctor. */
function idleMatters() {
  if (call() || sos().state === 'sending' || callback() || incoming()) return false;
  const c = consult();
  if (c && (c.status === 'waiting' || c.status === 'in_call')) return false;
  return screen() !== 'home' || identified() !== null || c !== null;
}

export function startSessionGuards() {
  onCardChange((now, before) => {
    // The card left (or a new one started): whatever the last resident did goes.
    if (before.state === 'verified' && now.state !== 'verified') resetToStart(false);
  });
  startIdleClock(idleMatters, () => resetToStart(true));
}
