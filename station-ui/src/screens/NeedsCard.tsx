// Gate for the screens that need to know who the resident is: says why, takes the card, then
// shows the screen. SOS stays one tap away (the bar below) and never needs the card.
import { Show, createEffect, type JSX } from 'solid-js';
import { t } from '../i18n/index.ts';
import { card, identified } from '../state/card.ts';
import { speak } from '../state/voice.ts';
import { CardAccess } from './CardAccess.tsx';
import { Identity, needsDigits } from './Identity.tsx';

/** `alt`: what the screen offers without the card (e.g. the receipt lookup), under the reason. */
export function NeedsCard(props: { why: string; alt?: JSX.Element; children: JSX.Element }) {
  createEffect(() => {
    if (card().state === 'absent') speak('insertCard');
    else if (needsDigits()) speak('canTitle');
  });
  return (
    <Show
      when={identified()}
      fallback={
        <div class="need-card">
          <section class="panel why">
            <h2>{t().needCardTitle}</h2>
            <p>{props.why}</p>
            <p class="muted">{t().needCardNoSos}</p>
          </section>
          {props.alt}
          <Identity />
          <Show when={needsDigits()}>
            <CardAccess />
          </Show>
        </div>
      }
    >
      {props.children}
    </Show>
  );
}
