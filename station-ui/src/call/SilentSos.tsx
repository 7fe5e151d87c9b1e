// The silent SOS on the kiosk's call screen: "Tôi không nói được" turns the call into text (video
// stays on); quick replies for the resident; the officer's replies in large text (read aloud when
// the kiosk voice is on). Also who joined the call (role and name).
import { For, Show, onMount } from 'solid-js';
import { QUICK_REPLIES, QUICK_REPLY_TEXT } from '@tram/contracts';
import { lang } from '../i18n/index.ts';
import { chat, goSilent, loadChat, responders, sendQuick } from '../state/followup.ts';
import './followup.css';

const ROLE = {
  vi: { police: 'Công an', command: 'Chỉ huy', medic: 'Y tế 115' } as Record<string, string>,
  en: { police: 'Police', command: 'Command', medic: '115 medic' } as Record<string, string>,
};
const words = {
  vi: { cannot: 'Tôi không nói được', title: 'Nhắn tin với công an', joined: 'Đã tham gia' },
  en: { cannot: 'I cannot speak', title: 'Text with the police', joined: 'Joined' },
};

export function SilentSos(props: { callId: string; live: boolean }) {
  onMount(() => void loadChat(props.callId));
  const mine = () => {
    const c = chat();
    return c && c.callId === props.callId ? c : null;
  };
  return (
    <Show
      when={mine()?.silent}
      fallback={
        <Show when={props.live}>
          <button type="button" class="silent-toggle" onClick={() => void goSilent(props.callId)}>
            {words[lang()].cannot}
          </button>
        </Show>
      }
    >
      <section class="silent-chat" aria-label={words[lang()].title}>
        <h2>{words[lang()].title}</h2>
        <ol aria-live="polite">
          <For each={mine()?.messages ?? []}>
            {(m) => (
              <li class={m.from} data-from={m.from}>
                {m.from === 'staff' ? `${m.name}: ` : '› '}
                {m.text}
              </li>
            )}
          </For>
        </ol>
        <Show when={props.live}>
          <div class="quick">
            <For each={QUICK_REPLIES}>
              {(q) => (
                <button type="button" onClick={() => void sendQuick(props.callId, q)}>
                  {QUICK_REPLY_TEXT[q][lang()]}
                </button>
              )}
            </For>
          </div>
        </Show>
      </section>
    </Show>
  );
}

export function Joined(props: { callId: string }) {
  const list = () => {
    const r = responders();
    return r && r.callId === props.callId ? r.list.filter((x) => x.status === 'joined') : [];
  };
  return (
    <Show when={list().length > 0}>
      <ul class="joined" aria-label={words[lang()].joined}>
        <For each={list()}>
          {(r) => (
            <li>
              {words[lang()].joined}: {ROLE[lang()][r.role] ?? r.role} — {r.displayName}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
