import { For, Show, createEffect, createSignal, lazy, onMount } from 'solid-js';
import type { CallView, HubEvent, MediaGrantView, StaffView, TimelineEntry } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { followHubEvents } from '@tram/console-ui/hub-events';
import { StaffGate } from '@tram/console-ui/staff-gate';
import { setRinging } from './ring.ts';
import { Declarations } from './declarations/Declarations.tsx';

const CallScreen = lazy(() => import('./call/CallScreen.tsx'));

export function App() {
  return <StaffGate title="Đăng nhập — Công an">{(me, signOut) => <Console me={me} onOut={signOut} />}</StaffGate>;
}

const LEVEL = ['Phường / Ward', 'Quận / District (chưa ai trả lời)', 'Chỉ huy / Command (khẩn)'];

function Console(props: { me: StaffView; onOut: () => Promise<void> }) {
  const [calls, setCalls] = createSignal<CallView[]>([]);
  const [active, setActive] = createSignal<{ call: CallView; media: MediaGrantView } | null>(null);
  const [notice, setNotice] = createSignal('');
  const [ended, setEnded] = createSignal<{ call: CallView; timeline: TimelineEntry[] } | null>(null);
  const [live, setLive] = createSignal(false);

  const upsert = (c: CallView) => setCalls((xs) => [...xs.filter((x) => x.id !== c.id), c].filter((x) => x.status !== 'ended'));
  const ringing = () => calls().filter((c) => c.status === 'ringing');
  createEffect(() => setRinging(ringing().length > 0 && !active()));

  const load = async () => {
    const r = await api.api.calls.$get();
    if (r.ok) setCalls((await r.json()).calls);
  };
  const onEvent = (e: HubEvent) => {
    switch (e.type) {
      case 'call.ringing':
      case 'call.answered':
      case 'call.escalated':
      case 'call.ended': {
        const c = e.data.call;
        upsert(c);
        const a = active();
        if (a && a.call.id === c.id) {
          setActive({ ...a, call: c });
          if (c.status === 'ended') void showEnded(c.id);
        }
      }
    }
  };
  onMount(() => followHubEvents({ live: setLive, open: () => void load(), event: onEvent }));

  const answer = async (c: CallView) => {
    setNotice('');
    const r = await api.api.calls[':id'].answer.$post({ param: { id: c.id } });
    if (r.ok) {
      const b = await r.json();
      setActive({ call: b.call, media: b.media });
      setEnded(null);
    } else {
      setNotice((await errorOf(r, 'Could not answer')).message);
      void load();
    }
  };
  const hangup = async () => {
    const a = active();
    if (!a) return;
    await api.api.calls[':id'].end.$post({ param: { id: a.call.id }, json: { reason: 'resolved' } });
    await showEnded(a.call.id);
  };
  const showEnded = async (id: string) => {
    setActive(null);
    const r = await api.api.calls[':id'].$get({ param: { id } });
    if (r.ok) setEnded(await r.json());
  };
  const logout = () => props.onOut();

  return (
    <>
      <header>
        <h1>Trạm — {props.me.displayName}</h1>
        <span>{live() ? 'Trực tuyến / On duty' : 'Mất kết nối / Offline'}</span>
        <button type="button" onClick={logout}>
          Đăng xuất / Log out
        </button>
      </header>
      <main>
        <Show when={notice()}>
          <p class="error" role="alert">
            {notice()}
          </p>
        </Show>
        <Show when={active()}>{(a) => <CallScreen call={a().call} media={a().media} onHangup={hangup} />}</Show>
        <section aria-label="Cuộc gọi đang đổ chuông / Ringing calls">
          <h2>Cuộc gọi khẩn cấp / Emergency calls ({ringing().length})</h2>
          <For each={ringing()} fallback={<p>Không có cuộc gọi nào / No calls ringing</p>}>
            {(c) => (
              <article class={`call level${c.escalationLevel}`} data-call-id={c.id}>
                <div>
                  <h3>{c.station.name}</h3>
                  <div>{c.station.address}</div>
                  <div>
                    {c.station.ward}, {c.station.district} · {new Date(c.createdAt).toLocaleTimeString('vi-VN')} ·{' '}
                    {LEVEL[c.escalationLevel]}
                  </div>
                  <Show when={c.note}>
                    <div class="note">{c.note}</div>
                  </Show>
                </div>
                <button type="button" class="answer" disabled={!!active()} onClick={() => answer(c)}>
                  Trả lời / Answer
                </button>
              </article>
            )}
          </For>
        </section>
        <Show when={ended()}>
          {(e) => (
            <section class="timeline" aria-label="Timeline">
              <h2>Diễn biến cuộc gọi / Call timeline — {e().call.station.name}</h2>
              <ol>
                <For each={e().timeline}>
                  {(x) => (
                    <li>
                      {new Date(x.at).toLocaleTimeString('vi-VN')} · {x.kind} · {x.actor}
                    </li>
                  )}
                </For>
              </ol>
            </section>
          )}
        </Show>
        <Declarations me={props.me} />
      </main>
    </>
  );
}
