// One action turns the consult into an emergency call to the ward police (with the vitals
// attached by the hub). It asks first: a mis-click would send officers out.
import { Show, createSignal } from 'solid-js';
import { api, errorOf } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';

export function Escalate(props: { consultId: string; onEscalated(): void }) {
  const [confirming, setConfirming] = createSignal(false);
  const [done, setDone] = createSignal(false);
  const [error, setError] = createSignal('');
  const go = async () => {
    setError('');
    const r = await api.api.consults[':id'].escalate.$post({ param: { id: props.consultId } });
    setConfirming(false);
    if (r.ok) {
      setDone(true);
      props.onEscalated();
    } else setError((await errorOf(r, t('escalateFailed'))).message);
  };
  return (
    <div class="escalate">
      <Show
        when={!done()}
        fallback={
          <p class="error" role="status">
            {t('emergencyRaised')}
          </p>
        }
      >
        <Show
          when={confirming()}
          fallback={
            <button type="button" class="emergency" onClick={() => setConfirming(true)}>
              {t('emergency')}
            </button>
          }
        >
          <div role="alertdialog" aria-label={t('confirmEmergency')} class="confirm">
            <p>{t('emergencyQuestion')}</p>
            <button type="button" class="emergency" onClick={() => void go()}>
              {t('confirmEmergency')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
