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
          <section class="panel greeting" aria-live="polite">
            <h2>{t().greeting(v().citizen.fullName)}</h2>
            <p class="checks-title">✔ {t().checksPassed}</p>
            <ul class="checks">
              <li>✔ {t().checkAccess(v().checks.access)}</li>
              <li>✔ {t().checkPassive}</li>
              <li>{v().checks.activeAuthentication === 'passed' ? `✔ ${t().checkActive}` : `• ${t().checkActiveNA}`}</li>
            </ul>
            <p class="muted">{t().removeCard}</p>
          </section>
        )}
      </Match>
    </Switch>
  );
}
