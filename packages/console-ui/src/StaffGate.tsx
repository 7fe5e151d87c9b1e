// Sign-in for a staff console: asks the hub who is signed in, shows the form when nobody is, and
// renders the console (with a sign-out) when somebody is. A console that speaks one language at a
// time passes its i18n: the form speaks it too and has the switch; without, both languages show.
import { Match, Show, Switch, createSignal, onMount, type JSX } from 'solid-js';
import type { StaffView } from '@tram/contracts';
import { api } from './hub.ts';
import { type I18n, type Lang, LangSwitch } from './i18n.tsx';

type LangChoice = Pick<I18n<string>, 'lang' | 'setLang'>;

const LABELS = {
  vi: { username: 'Tên đăng nhập', password: 'Mật khẩu', signIn: 'Đăng nhập', wrong: 'Sai tên đăng nhập hoặc mật khẩu' },
  en: { username: 'Username', password: 'Password', signIn: 'Log in', wrong: 'Wrong username or password' },
};
type Key = keyof (typeof LABELS)['vi'];
const label = (k: Key, lang: Lang | undefined) => (lang ? LABELS[lang][k] : `${LABELS.vi[k]} / ${LABELS.en[k]}`);

export function StaffGate(props: {
  title: string;
  i18n?: LangChoice;
  children: (me: StaffView, signOut: () => Promise<void>) => JSX.Element;
}) {
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
        <SignIn title={props.title} i18n={props.i18n} onIn={setMe} />
      </Match>
      <Match when={me()} keyed>
        {(s) => props.children(s, signOut)}
      </Match>
    </Switch>
  );
}

export function SignIn(props: { title: string; i18n?: LangChoice | undefined; onIn: (s: StaffView) => void }) {
  const [failed, setFailed] = createSignal(false);
  const l = (k: Key) => label(k, props.i18n?.lang());
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const r = await api.api.auth.login.$post({ json: { username: String(f.get('username')), password: String(f.get('password')) } });
    if (r.ok) props.onIn((await r.json()).staff);
    else setFailed(true);
  };
  return (
    <form class="login" onSubmit={submit}>
      <Show when={props.i18n}>{(i) => <LangSwitch i18n={i()} />}</Show>
      <h2>{props.title}</h2>
      <label>
        {l('username')} <input name="username" autocomplete="username" required />
      </label>
      <label>
        {l('password')} <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit">{l('signIn')}</button>
      <Show when={failed()}>
        <p class="error" role="alert">
          {l('wrong')}
        </p>
      </Show>
    </form>
  );
}
