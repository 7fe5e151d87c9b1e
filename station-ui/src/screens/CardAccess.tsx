// Big-button keypad for the 6-digit CAN; the digits go only to the local agent and are cleared at once.
import { For, Show, createSignal } from 'solid-js';
import { t } from '../i18n/index.ts';
import { card, submitAccess } from '../state/card.ts';

export function CardAccess() {
  const [digits, setDigits] = createSignal('');
  const press = (d: string) => setDigits((x) => (x.length < 6 ? x + d : x));
  const retry = () => card().state === 'refused';
  return (
    <section class="panel card-access" aria-labelledby="can-title">
      <h2 id="can-title">{t().canTitle}</h2>
      <Show when={retry()}>
        <p class="status error" role="alert">
          {t().refusedAccess}
        </p>
      </Show>
      <output class="can" aria-live="polite" aria-label={t().canEntered(digits().length)} data-testid="can-display">
        {'●'.repeat(digits().length).padEnd(6, '○')}
      </output>
      <div class="keypad">
        <For each={['1', '2', '3', '4', '5', '6', '7', '8', '9']}>
          {(d) => (
            <button type="button" onClick={() => press(d)}>
              {d}
            </button>
          )}
        </For>
        <button type="button" onClick={() => setDigits((x) => x.slice(0, -1))}>
          {t().canDelete}
        </button>
        <button type="button" onClick={() => press('0')}>
          0
        </button>
        <button
          type="button"
          class="confirm"
          disabled={digits().length !== 6}
          onClick={() => {
            void submitAccess({ can: digits() });
            setDigits('');
          }}
        >
          {t().canConfirm}
        </button>
      </div>
    </section>
  );
}
