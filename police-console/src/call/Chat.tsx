// The silent SOS beside the video: the resident's messages and quick replies, the officer's typed
// replies (the kiosk shows them in large text). Read back from the hub, so a reload keeps it.
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import type { ChatMessageView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { newKey, onHubEvent } from './followup-events.ts';
import { t } from '../i18n.ts';

export function Chat(props: { callId: string }) {
  const [messages, setMessages] = createSignal<ChatMessageView[]>([]);
  const [silent, setSilent] = createSignal(false);
  const [error, setError] = createSignal('');
  const add = (m: ChatMessageView) => setMessages((xs) => (xs.some((x) => x.id === m.id) ? xs : [...xs, m]));
  onMount(() => {
    void (async () => {
      const r = await api.api.calls[':id'].chat.$get({ param: { id: props.callId } });
      if (r.ok) {
        const b = await r.json();
        setSilent(b.silent);
        for (const m of b.messages) add(m);
      }
    })();
    onCleanup(
      onHubEvent((e) => {
        if (e.type === 'call.silent' && e.data.callId === props.callId) setSilent(true);
        if (e.type === 'call.chat' && e.data.callId === props.callId) add(e.data.message);
      }),
    );
  });
  let input!: HTMLInputElement;
  const send = async (ev: Event) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const r = await api.api.calls[':id'].chat.$post({
      param: { id: props.callId },
      header: { 'idempotency-key': newKey() },
      json: { text },
    });
    if (r.ok) {
      add((await r.json()).message);
      input.value = '';
      setError('');
    } else setError((await errorOf(r, t('chatFailed'))).message);
  };
  return (
    <aside class="chat" aria-label={t('chat')}>
      <h3>
        {t('chat')}
        <Show when={silent()}>
          <strong class="silent" role="alert">
            {' '}
            — {t('chatSilent')}
          </strong>
        </Show>
      </h3>
      <ol aria-live="polite">
        <For each={messages()}>
          {(m) => (
            <li class={m.from} data-from={m.from}>
              <b>{m.from === 'resident' ? t('resident') : m.name}:</b> {m.text}
            </li>
          )}
        </For>
      </ol>
      <form onSubmit={send}>
        <input ref={input} aria-label={t('chatReply')} maxLength={500} />
        <button type="submit">{t('chatSend')}</button>
      </form>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </aside>
  );
}
