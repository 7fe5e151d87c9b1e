// Sign-in, then the console. Vietnamese first, English alongside.
import { Match, Show, Switch, createSignal, onMount } from 'solid-js';
import type { StaffView } from '@tram/contracts';
import { api } from './api.ts';
import { Console } from './Console.tsx';

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
      <h2>Đăng nhập — Bác sĩ / Clinician sign-in</h2>
      <label>Tên đăng nhập / Username <input name="username" autocomplete="username" required /></label>
      <label>Mật khẩu / Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">Đăng nhập / Log in</button>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </form>
  );
}
