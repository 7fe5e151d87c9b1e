// The card left behind: at the end of a flow (done, idle reset, session closed) a still-inserted
// card brings up a full-screen, animated "XIN RÚT THẺ" with a tone and the spoken line, until the
// card is out. The emergency button stays on it.
import { Show, createEffect, on, onCleanup } from 'solid-js';
import { t } from '../i18n/index.ts';
import { card, closed } from '../state/card.ts';
import { muted, speak } from '../state/voice.ts';
import { SosBar } from './SosBar.tsx';

/** A still-inserted card whose session is over. */
export const cardLeftBehind = () => closed() && card().state === 'verified';

function tone() {
  if (muted()) return;
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.25, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.6);
    o.onended = () => void ctx.close();
  } catch {
    /* no audio output */
  }
}

export function CardReminder() {
  createEffect(
    on(cardLeftBehind, (left) => {
      if (!left) return;
      tone();
      speak('removeCardVoice');
      // again every 10 s while the card stays in
      const again = setInterval(() => {
        tone();
        speak('removeCardVoice');
      }, 10_000);
      onCleanup(() => clearInterval(again));
    }),
  );
  return (
    <Show when={cardLeftBehind()}>
      <div class="card-reminder" role="alertdialog" aria-modal="true" aria-labelledby="remove-card-title">
        <div class="card-reminder-art" aria-hidden="true">
          <span class="card-out">▭</span>
          <span class="arrow-out">⬆</span>
        </div>
        <p id="remove-card-title" class="remove-card-title">
          {t().removeCardNow}
        </p>
        <p class="remove-card-hint">{t().removeCardNowHint}</p>
        <SosBar />
      </div>
    </Show>
  );
}
