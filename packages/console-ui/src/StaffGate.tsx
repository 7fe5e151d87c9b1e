// Sign-in for a staff console: asks the hub who is signed in, shows the form when nobody is, and
// renders the console (with a sign-out) when somebody is. Vietnamese first, English alongside.
import { Match, Show, Switch, createSignal, onMount, type JSX } from 'solid-js';
import type { StaffView } from '@tram/contracts';
import { api } from './hub.ts';

export function StaffGate(props: { title: string; children: (me: StaffView, signOut: () => Promise<void>) => JSX.Element }) {
  const [me, setMe] = createSignal<StaffView | null | undefined>(undefined);
  onMount(async () => {
    const r = await api.api.auth.me.$get();
    setMe(r.ok ? (await r.json()).staff : null);
  });
  const signOut = async () => {
    await api.api.auth.logout.$post();
    setMe(null);
  };
  return (
    <Switch>
      <Match when={me() === null}>
        <SignIn title={props.title} onIn={setMe} />
      </Match>
      <Match when={me()} keyed>
        {(s) => props.children(s, signOut)}
      </Match>
    </Switch>
  );
}

export function SignIn(props: { title: string; onIn: (s: StaffView) => void }) {
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
      <h2>{props.title}</h2>
      <label>
        Tên đăng nhập / Username <input name="username" autocomplete="username" required />
      </label>
      <label>
        Mật khẩu / Password <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit">Đăng nhập / Log in</button>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </form>
  );
}
