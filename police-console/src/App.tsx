import { For, Match, Show, Switch, createEffect, createSignal, lazy, onMount } from 'solid-js';
import type { CallView, MediaGrantView, StaffView, TimelineEntry } from '@tram/contracts';
import { api } from './api.ts';
import { setRinging } from './ring.ts';

const CallScreen = lazy(() => import('./call/CallScreen.tsx'));

export function App() {
  const [me, setMe] = createSignal<StaffView | null | undefined>(undefined);
  onMount(async () => {
    const r = await api.api.auth.me.$get();
    setMe(r.ok ? (await r.json()).staff : null);
  });
  return (
    <Switch>
      <Match when={me() === null}><Login onIn={setMe} /></Match>
      <Match when={me()}>{(s) => <Console me={s()} onOut={() => setMe(null)} />}</Match>
    </Switch>
  );
}

function Login(props: { onIn: (s: StaffView) => void }) {
  const [error, setError] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const r = await api.api.auth.login.$post({ json: { username: String(f.get('username')), password: String(f.get('password')) } });
    if (r.ok) props.onIn((await r.json()).staff);
    else setError('Sai tên đăng nhập hoặc mật khẩu / Wrong username or password');
  };
  return (
    <form class="login" onSubmit={submit}>
      <h2>Đăng nhập — Công an</h2>
      <label>Tên đăng nhập / Username <input name="username" autocomplete="username" required /></label>
      <label>Mật khẩu / Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">Đăng nhập / Log in</button>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </form>
  );
}

const LEVEL = ['Phường / Ward', 'Quận / District (chưa ai trả lời)', 'Chỉ huy / Command (khẩn)'];

function Console(props: { me: StaffView; onOut: () => void }) {
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
  const connect = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.onopen = () => { setLive(true); void load(); };
    ws.onmessage = (m) => {
      const e = JSON.parse(String(m.data)) as { type: string; data: { call?: CallView } };
      const c = e.data.call;
      if (!c) return;
      upsert(c);
      const a = active();
      if (a && a.call.id === c.id) {
        setActive({ ...a, call: c });
        if (c.status === 'ended') void showEnded(c.id);
      }
    };
    ws.onclose = () => { setLive(false); setTimeout(connect, 1000); };
  };
  onMount(connect);

  const answer = async (c: CallView) => {
    setNotice('');
    const r = await api.api.calls[':id'].answer.$post({ param: { id: c.id } });
    if (r.ok) { const b = await r.json(); setActive({ call: b.call, media: b.media }); setEnded(null); }
    else { setNotice(((await r.json()) as { error: { message: string } }).error.message); void load(); }
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
  const logout = async () => { await api.api.auth.logout.$post(); props.onOut(); };

  return (
    <>
      <header>
        <h1>Trạm — {props.me.displayName}</h1>
        <span>{live() ? 'Trực tuyến / On duty' : 'Mất kết nối / Offline'}</span>
        <button onClick={logout}>Đăng xuất / Log out</button>
      </header>
      <main>
        <Show when={notice()}><p class="error" role="alert">{notice()}</p></Show>
        <Show when={active()}>{(a) => <CallScreen call={a().call} media={a().media} onHangup={hangup} />}</Show>
        <section aria-label="Cuộc gọi đang đổ chuông / Ringing calls">
          <h2>Cuộc gọi khẩn cấp / Emergency calls ({ringing().length})</h2>
          <For each={ringing()} fallback={<p>Không có cuộc gọi nào / No calls ringing</p>}>
            {(c) => (
              <article class={`call level${c.escalationLevel}`} data-call-id={c.id}>
                <div>
                  <h3>{c.station.name}</h3>
                  <div>{c.station.address}</div>
                  <div>{c.station.ward}, {c.station.district} · {new Date(c.createdAt).toLocaleTimeString('vi-VN')} · {LEVEL[c.escalationLevel]}</div>
                </div>
                <button class="answer" disabled={!!active()} onClick={() => answer(c)}>Trả lời / Answer</button>
              </article>
            )}
          </For>
        </section>
        <Show when={ended()}>{(e) => (
          <section class="timeline" aria-label="Timeline">
            <h2>Diễn biến cuộc gọi / Call timeline — {e().call.station.name}</h2>
            <ol>
              <For each={e().timeline}>{(x) => <li>{new Date(x.at).toLocaleTimeString('vi-VN')} · {x.kind} · {x.actor}</li>}</For>
            </ol>
          </section>
        )}</Show>
      </main>
    </>
  );
}
