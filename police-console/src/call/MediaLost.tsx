// "Media lost — call back": shown when the hub says the LiveKit node holding the call's room died
// (call.media_lost) or this console's own connection to the room dropped. The button asks the hub
// for a fresh grant (POST /api/calls/:id/media makes the room anew on a live node); the call view
// reconnects with it. A refusal (the media service still down) is shown and the button stays.
import { Show, createSignal } from 'solid-js';
import type { MediaGrantView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';

export function MediaLost(props: { callId: string; onGrant(media: MediaGrantView): void }) {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal('');
  const callBack = async () => {
    setBusy(true);
    setFailed('');
    try {
      const r = await api.api.calls[':id'].media.$post({ param: { id: props.callId } });
      if (r.ok) props.onGrant((await r.json()).media);
      else setFailed((await errorOf(r, String(r.status))).message);
    } catch (e) {
      setFailed((e as Error).message || String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="media-lost" role="alert">
      <p class="error">{t('mediaLost')}</p>
      <button type="button" class="call-back" disabled={busy()} onClick={() => void callBack()}>
        {busy() ? t('mediaCallingBack') : t('mediaCallBack')}
      </button>
      <Show when={failed()}>
        <p class="error">{t('mediaCallBackFailed', { reason: failed() })}</p>
      </Show>
    </div>
  );
}
