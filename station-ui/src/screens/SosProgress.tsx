// The SOS before the hub has the call: "calling…", or "calling… retrying" while the hub is
// unreachable (the agent keeps re-sending) with a cancel, always with 113 to dial by hand.
import { Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { cancelPending, sos } from '../state/sos.ts';
import { hubUp } from '../state/agent-socket.ts';

export function SosProgress() {
  const retrying = () => {
    const s = sos();
    return !hubUp() || (s.state === 'sending' && s.attempts > 1);
  };
  return (
    <section class="sos-progress" aria-live="assertive">
      <p class="status huge" role="status">
        {retrying() ? t().retrying : t().calling}
      </p>
      <Show when={retrying()}>
        <p class="muted center">{t().retryingWhy}</p>
      </Show>
      <div class="fallback">
        {t().fallback}
        <strong>113</strong>
      </div>
      <p class="numbers">{t().numbers}</p>
      <Show when={retrying()}>
        <button type="button" class="neutral wide-main" onClick={cancelPending}>
          {t().cancelPending}
        </button>
      </Show>
    </section>
  );
}
