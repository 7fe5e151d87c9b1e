// The visible countdown before an idle reset, with one big "I'm still here".
import { Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { remaining, touched, warning } from '../state/idle.ts';

export function IdleGuard() {
  return (
    <Show when={warning()}>
      <div
        class="overlay"
        onClick={touched}
        onKeyDown={touched}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="idle-title"
        aria-describedby="idle-count"
      >
        <div class="dialog">
          <h2 id="idle-title">{t().idleTitle}</h2>
          <p id="idle-count" class="big-count" aria-live="polite">
            {t().idleCountdown(remaining())}
          </p>
          <button type="button" class="primary wide" onClick={touched}>
            {t().stillHere}
          </button>
        </div>
      </div>
    </Show>
  );
}
