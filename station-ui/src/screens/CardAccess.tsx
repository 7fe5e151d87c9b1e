// Big-button keypad for the 6-digit CAN; the digits go only to the local agent.
import { For, Show, createSignal } from 'solid-js';
import { t } from '../i18n.ts';
import { submitAccess } from '../agent.ts';

export function CardAccess(props: { retry?: boolean }) {
  const [digits, setDigits] = createSignal('');
  const press = (d: string) => setDigits((x) => (x.length < 6 ? x + d : x));
  return (
    <section class="card-access" aria-labelledby="can-title">
      <h2 id="can-title">{t().canTitle}</h2>
      <p class="muted">{t().canHint}</p>
      <Show when={props.retry}><p class="status" role="alert">{t().refusedAccess}</p></Show>
      <output class="can" aria-live="polite" data-testid="can-display">{digits().padEnd(6, '•')}</output>
      <div class="keypad">
        <For each={['1', '2', '3', '4', '5', '6', '7', '8', '9']}>{(d) => <button onClick={() => press(d)}>{d}</button>}</For>
        <button onClick={() => setDigits((x) => x.slice(0, -1))}>{t().canDelete}</button>
        <button onClick={() => press('0')}>0</button>
        <button class="confirm" disabled={digits().length !== 6} onClick={() => { void submitAccess({ can: digits() }); setDigits(''); }}>{t().canConfirm}</button>
      </div>
    </section>
  );
}
