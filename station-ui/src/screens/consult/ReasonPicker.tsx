// First step of seeing a doctor: why, in six big buttons; how many doctors are on duty.
import { For, Show, createSignal, onMount } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { available, blocker, loadAvailability, requestConsult, type Reason } from '../../state/consult.ts';
import { Ambulance } from './Ambulance.tsx';

/** Reasons that may be a medical emergency: they open the 115 question first. */
const URGENT: Reason[] = ['chest_pain', 'breathing'];

const REASONS: Reason[] = ['checkup', 'fever', 'chest_pain', 'breathing', 'dizziness', 'other'];

export function ReasonPicker() {
  onMount(loadAvailability);
  const [urgent, setUrgent] = createSignal<Reason | null>(null);
  const pick = (r: Reason) => (URGENT.includes(r) ? setUrgent(r) : requestConsult(r));
  return (
    <Show
      when={!urgent()}
      fallback={
        <Ambulance
          onDoctor={() => {
            const r = urgent()!;
            setUrgent(null);
            void requestConsult(r);
          }}
          onBack={() => setUrgent(null)}
        />
      }
    >
      <section class="page">
        <h2>{t().reasonPrompt}</h2>
        <Show when={available() !== null}>
          <p class="muted">{t().doctorsOnline(available()!)}</p>
        </Show>
        {/* biome-ignore lint/a11y/useSemanticElements: a row of big buttons; a fieldset would bring its own box and legend */}
        <div class="reasons" role="group" aria-label={t().reasonPrompt}>
          <For each={REASONS}>
            {(r) => (
              <button type="button" class="reason" disabled={blocker() === 'sending'} onClick={() => pick(r)}>
                {t().reason[r]}
              </button>
            )}
          </For>
        </div>
        <Show when={blocker() === 'sending'}>
          <p class="status" role="status">
            {t().requesting}
          </p>
        </Show>
        <p class="panel note">{t().severeHint}</p>
      </section>
    </Show>
  );
}
