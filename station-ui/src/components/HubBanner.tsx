// Honest connection state, on every screen.
import { Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { hubUp } from '../state/agent-socket.ts';

export function HubBanner() {
  return (
    <Show when={!hubUp()}>
      <p class="banner" role="status">
        {t().hubDown}
      </p>
    </Show>
  );
}
