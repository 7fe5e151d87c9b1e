// The virtual waiting room: place in line and the hub's wait estimate (or that there is none yet).
import { Show, onCleanup, onMount } from 'solid-js';
import type { ConsultView } from '@tram/contracts';
import { t } from '../../i18n/index.ts';
import { cancelConsult, refreshConsult } from '../../state/consult.ts';
import { speak } from '../../state/voice.ts';

export function WaitingRoom(props: { consult: ConsultView }) {
  onMount(() => speak('waitStay'));
  // Events carry every change; this only catches up after a missed one.
  const timer = setInterval(refreshConsult, 15_000);
  onCleanup(() => clearInterval(timer));
  return (
    <section class="page waiting">
      <h2>{t().waitingTitle}</h2>
      <p class="reason-chosen muted">{t().reason[props.consult.reason]}</p>
      <p class="position" aria-live="polite">
        {props.consult.position === 1 ? t().nextInLine : props.consult.position !== null ? t().position(props.consult.position) : ''}
      </p>
      <p class="estimate" aria-live="polite">
        <Show when={props.consult.estimatedWaitMin !== null} fallback={t().waitUnknown}>
          {t().waitEstimate(props.consult.estimatedWaitMin!)}
        </Show>
      </p>
      <p class="panel">{t().waitStay}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={cancelConsult}>
          {t().cancelConsult}
        </button>
      </div>
    </section>
  );
}
