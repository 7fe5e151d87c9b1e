// "Cuộc gọi nhỡ — gọi lại": abandoned calls of the officer's area stay here until someone calls
// back (the resident picked up) or dismisses them with a reason. One tap rings the station.
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import { DISMISS_REASONS, type CallbackPlaced, type MissedCallView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { onHubEvent } from './followup-events.ts';

const REASON: Record<(typeof DISMISS_REASONS)[number], string> = {
  resolved_elsewhere: 'Đã xử lý qua kênh khác / Resolved elsewhere',
  duplicate: 'Trùng cuộc gọi khác / Duplicate',
  false_alarm: 'Báo nhầm / False alarm',
  unreachable: 'Không liên lạc được / Unreachable',
  other: 'Lý do khác / Other',
};

export function Missed(props: { busy: boolean; onCallback: (p: CallbackPlaced) => void }) {
  const [missed, setMissed] = createSignal<MissedCallView[]>([]);
  const [error, setError] = createSignal('');
  const load = async () => {
    const r = await api.api.calls.missed.$get();
    if (r.ok) setMissed((await r.json()).missed);
  };
  onMount(() => {
    void load();
    onCleanup(
      onHubEvent((e) => {
        // a call that ended unanswered becomes a missed call
        if (e.type === 'missed.changed' || e.type === 'callback.updated' || e.type === 'call.ended' || e.type === 'hello') void load();
      }),
    );
  });
  const callBack = async (id: string) => {
    setError('');
    const r = await api.api.calls[':id'].callback.$post({ param: { id } });
    if (r.ok) props.onCallback(await r.json());
    else setError((await errorOf(r, 'Không gọi lại được / Could not call back')).message);
    void load();
  };
  const dismiss = async (id: string, reason: (typeof DISMISS_REASONS)[number]) => {
    const r = await api.api.calls[':id'].dismiss.$post({ param: { id }, json: { reason } });
    if (!r.ok) setError((await errorOf(r, 'Không đóng được / Could not dismiss')).message);
    void load();
  };
  return (
    <section class="missed" aria-label="Cuộc gọi nhỡ / Missed calls">
      <h2>Cuộc gọi nhỡ — gọi lại / Missed calls — call back ({missed().length})</h2>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <For each={missed()} fallback={<p>Không có cuộc gọi nhỡ / No missed calls</p>}>
        {(m) => {
          let reason!: HTMLSelectElement;
          return (
            <article class="missed-call" data-call-id={m.call.id}>
              <div>
                <h3>Cuộc gọi nhỡ — {m.call.station.name}</h3>
                <div>{m.call.station.address}</div>
                <div>
                  {m.call.station.ward} · {new Date(m.call.createdAt).toLocaleTimeString('vi-VN')} · kết thúc / ended:{' '}
                  {m.call.endReason ?? '—'}
                </div>
                <Show when={m.attempts > 0}>
                  <div>Đã gọi lại không được / Callbacks not answered: {m.attempts}</div>
                </Show>
                <Show when={m.ringing}>
                  <div role="status">Đang gọi lại / Calling back: {m.ringing!.by}</div>
                </Show>
              </div>
              <button type="button" class="answer" disabled={props.busy || !!m.ringing} onClick={() => void callBack(m.call.id)}>
                Gọi lại / Call back
              </button>
              <label>
                Lý do đóng / Reason
                <select ref={reason}>
                  <For each={DISMISS_REASONS}>{(r) => <option value={r}>{REASON[r]}</option>}</For>
                </select>
              </label>
              <button type="button" onClick={() => void dismiss(m.call.id, reason.value as (typeof DISMISS_REASONS)[number])}>
                Đóng / Dismiss
              </button>
            </article>
          );
        }}
      </For>
    </section>
  );
}
