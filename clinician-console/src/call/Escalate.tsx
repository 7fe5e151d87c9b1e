// One action turns the consult into an emergency call to the ward police (with the vitals
// attached by the hub). It asks first: a mis-click would send officers out.
import { Show, createSignal } from 'solid-js';
import { api, errorOf } from '@tram/console-ui/hub';

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
    } else setError((await errorOf(r, 'Could not escalate')).message);
  };
  return (
    <div class="escalate">
      <Show
        when={!done()}
        fallback={
          <p class="error" role="status">
            🚑 Đã chuyển cấp cứu — công an phường đang được gọi, kèm sinh hiệu. / Emergency raised — the ward police are being called with
            the vitals.
          </p>
        }
      >
        <Show
          when={confirming()}
          fallback={
            <button type="button" class="emergency" onClick={() => setConfirming(true)}>
              🚑 Cấp cứu / Emergency
            </button>
          }
        >
          <div role="alertdialog" aria-label="Xác nhận cấp cứu / Confirm emergency" class="confirm">
            <p>
              Gọi cấp cứu tới công an phường cho người dân này, kèm sinh hiệu? / Raise an emergency call to the ward police for this
              resident, with the vitals?
            </p>
            <button type="button" class="emergency" onClick={() => void go()}>
              Xác nhận cấp cứu / Confirm emergency
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Hủy / Cancel
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
