// "Cuộc gọi nhỡ — gọi lại": abandoned calls of the officer's area stay here until someone calls
// back (the resident picked up) or dismisses them with a reason. One tap rings the station.
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import { DISMISS_REASONS, type CallbackPlaced, type MissedCallView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { onHubEvent } from './followup-events.ts';
import { t } from '../i18n.ts';

const reasonText = (r: (typeof DISMISS_REASONS)[number]) => t(`dis_${r}`);

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
    else setError((await errorOf(r, t('missedCallBackFailed'))).message);
    void load();
  };
  const dismiss = async (id: string, reason: (typeof DISMISS_REASONS)[number]) => {
    const r = await api.api.calls[':id'].dismiss.$post({ param: { id }, json: { reason } });
    if (!r.ok) setError((await errorOf(r, t('missedDismissFailed'))).message);
    void load();
  };
  return (
    <section class="missed" aria-label={t('missedRegion')}>
      <h2>{t('missedHeading', { n: missed().length })}</h2>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <For each={missed()} fallback={<p>{t('missedNone')}</p>}>
        {(m) => {
          let reason!: HTMLSelectElement;
          return (
            <article class="missed-call" data-call-id={m.call.id}>
              <div>
                <h3>{t('missedTitle', { station: m.call.station.name })}</h3>
                <div>{m.call.station.address}</div>
                <div>
                  {m.call.station.ward} · {new Date(m.call.createdAt).toLocaleTimeString('vi-VN')} ·{' '}
                  {t('missedEnded', { reason: m.call.endReason ?? '—' })}
                </div>
                <Show when={m.attempts > 0}>
                  <div>{t('missedAttempts', { n: m.attempts })}</div>
                </Show>
                <Show when={m.ringing}>
                  <div role="status">{t('missedCalling', { name: m.ringing!.by })}</div>
                </Show>
              </div>
              <button type="button" class="answer" disabled={props.busy || !!m.ringing} onClick={() => void callBack(m.call.id)}>
                {t('missedCallBack')}
              </button>
              <label>
                {t('missedReason')}
                <select ref={reason}>
                  <For each={DISMISS_REASONS}>{(r) => <option value={r}>{reasonText(r)}</option>}</For>
                </select>
              </label>
              <button type="button" onClick={() => void dismiss(m.call.id, reason.value as (typeof DISMISS_REASONS)[number])}>
                {t('missedDismiss')}
              </button>
            </article>
          );
        }}
      </For>
    </section>
  );
}
