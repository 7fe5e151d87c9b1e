// The card's state in words: insert prompt, reading, greeting with the checks that passed, refusal.
// The keypad for the 6 digits is separate (CardAccess), so each screen can place it.
import { Match, Switch } from 'solid-js';
import { t } from '../i18n/index.ts';
import { card, closed, identified } from '../state/card.ts';
import { pictures } from '../components/Pictures.tsx';

const refused = () => {
  const c = card();
  return c.state === 'refused' ? c : null;
};
/** The given name: the last word of a Vietnamese full name ("Nguyễn Thị Mai" → "Mai"). */
export const givenName = (fullName: string) => fullName.trim().split(/\s+/).at(-1) ?? fullName;

export const needsDigits = () => {
  const c = card();
  return c.state === 'needs_access' || (c.state === 'refused' && c.reason === 'access_denied');
};

export function Identity() {
  return (
    <Switch>
      <Match when={card().state === 'no_reader'}>
        <p class="panel status muted" role="status">
          {t().readerMissing}
        </p>
      </Match>
      <Match when={closed()}>
        <p class="panel status" role="status">
          {t().sessionClosed}
        </p>
      </Match>
      <Match when={card().state === 'absent'}>
        <section class="panel insert-card">
          {pictures.card!()}
          <div>
            <h2>{t().insertCard}</h2>
            <p class="muted">{t().insertCardWhy}</p>
          </div>
        </section>
      </Match>
      <Match when={needsDigits()}>
        <p class="panel status muted">{t().canHint}</p>
      </Match>
      <Match when={card().state === 'reading'}>
        <p class="panel status" role="status">
          {t().cardReading}
        </p>
      </Match>
      <Match when={refused()}>
        {(r) => (
          <p class="panel status" role="alert">
            {r().reason === 'hub_unreachable' ? t().refusedHub : t().refused}
          </p>
        )}
      </Match>
      <Match when={identified()}>
        {(v) => (
          // Greeted by the given name only (the full name is not shown large to the lobby), with one
          // plain "card received"; the checks themselves stay out of sight (no jargon).
          <section class="panel greeting" aria-live="polite">
            <h2>{t().greeting(givenName(v().citizen.fullName))}</h2>
            <p class="checks-title">✔ {t().checksPassed}</p>
            <p class="muted">{t().removeCard}</p>
          </section>
        )}
      </Match>
    </Switch>
  );
}
