// The card part of the home screen: insert prompt, reading, greeting with the checks that passed.
import { Match, Switch } from 'solid-js';
import { t } from '../i18n.ts';
import { card } from '../agent.ts';
import { CardAccess } from './CardAccess.tsx';
import type { CardState } from '../../agent/gateway/card-state.ts';

export function Identity() {
  return (
    <Switch>
      <Match when={card().state === 'no_reader'}><p class="status muted" role="status">{t().readerMissing}</p></Match>
      <Match when={card().state === 'absent'}>
        <section class="insert-card"><h2>{t().insertCard}</h2><p class="muted">{t().insertCardWhy}</p></section>
      </Match>
      <Match when={card().state === 'needs_access'}><CardAccess /></Match>
      <Match when={card().state === 'reading'}><p class="status" role="status">{t().cardReading}</p></Match>
      <Match when={card().state === 'refused' && (card() as { reason: string }).reason === 'access_denied'}><CardAccess retry /></Match>
      <Match when={card().state === 'refused'}><p class="status" role="alert">{t().refused}</p></Match>
      <Match when={card().state === 'verified' && (card() as Extract<CardState, { state: 'verified' }>)}>{(v) => (
        <section class="greeting" aria-live="polite">
          <h2>{t().greeting(v().citizen.fullName)}</h2>
          <p class="checks-title">✔ {t().checksPassed}</p>
          <ul class="checks">
            <li>✔ {t().checkAccess(v().checks.access)}</li>
            <li>✔ {t().checkPassive}</li>
            <li>{v().checks.activeAuthentication === 'passed' ? `✔ ${t().checkActive}` : `• ${t().checkActiveNA}`}</li>
          </ul>
          <p class="muted">{t().removeCard}</p>
        </section>
      )}</Match>
    </Switch>
  );
}
