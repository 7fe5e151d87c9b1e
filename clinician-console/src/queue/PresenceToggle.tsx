// Available / away. The hub counts a clinician as available only while their console keeps
// saying so (a heartbeat every minute), so a closed laptop stops counting within minutes.
import { createSignal, onCleanup, onMount } from 'solid-js';
import { api } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';

const HEARTBEAT_MS = 60_000;

export function PresenceToggle() {
  const [available, setAvailable] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const put = async (on: boolean) => {
    setSaving(true);
    try {
      const r = await api.api.consults.presence.$put({ json: { available: on } });
      if (r.ok) setAvailable(on);
    } finally {
      setSaving(false);
    }
  };
  onMount(async () => {
    const r = await api.api.consults.presence.$get();
    if (r.ok) setAvailable((await r.json()).available);
  });
  const beat = setInterval(() => {
    if (available()) void put(true);
  }, HEARTBEAT_MS);
  onCleanup(() => clearInterval(beat));
  return (
    <button
      type="button"
      role="switch"
      class={`presence ${available() ? 'on' : 'off'}`}
      aria-checked={available()}
      aria-label={t('presenceLabel')}
      disabled={saving()}
      onClick={() => void put(!available())}
    >
      {available() ? t('available') : t('away')}
    </button>
  );
}
