// Clinician console. So far: sign-in and who is signed in; the consult queue, live vitals and
// video arrive with the consult issue.
import { render } from 'solid-js/web';
import { Show, createSignal, onMount } from 'solid-js';
import { hc } from 'hono/client';
import type { AppType, StaffView } from '@tram/hub';

const api = hc<AppType>('/');

function App() {
  const [me, setMe] = createSignal<StaffView | null | undefined>(undefined);
  const [error, setError] = createSignal('');
  onMount(async () => {
    const r = await api.api.auth.me.$get();
    setMe(r.ok ? (await r.json()).staff : null);
  });
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const r = await api.api.auth.login.$post({ json: { username: String(f.get('username')), password: String(f.get('password')) } });
    if (r.ok) setMe((await r.json()).staff);
    else setError('Sai tên đăng nhập hoặc mật khẩu / Wrong username or password');
  };
  return (
    <main style={{ 'font-family': 'system-ui, sans-serif', padding: '24px' }}>
      <Show when={me()} fallback={
        <Show when={me() === null}>
          <form onSubmit={submit} style={{ display: 'grid', gap: '8px', 'max-width': '320px' }}>
            <h1>Đăng nhập — Bác sĩ</h1>
            <label>Tên đăng nhập / Username <input name="username" required /></label>
            <label>Mật khẩu / Password <input name="password" type="password" required /></label>
            <button type="submit">Đăng nhập / Log in</button>
            <Show when={error()}><p role="alert">{error()}</p></Show>
          </form>
        </Show>
      }>{(s) => <h1>Xin chào, {s().displayName}</h1>}</Show>
    </main>
  );
}

render(() => <App />, document.getElementById('root')!);
