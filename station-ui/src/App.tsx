import { Match, Show, Switch, createEffect, lazy } from 'solid-js';
import { t, toggleLang } from './i18n.ts';
import { call, hubUp, raiseSos, resetCall, sos } from './agent.ts';
import { Identity } from './screens/Identity.tsx';

// The video code is loaded only when a call starts.
const CallScreen = lazy(() => import('./call/CallScreen.tsx'));

export function App() {
  createEffect(() => {
    if (call()?.status === 'ended') setTimeout(resetCall, 5000);
  });
  return (
    <>
      <header class="top">
        <h1>{t().title}</h1>
        <button class="lang" onClick={toggleLang}>{t().switchLang}</button>
      </header>
      <Show when={!hubUp()}><p class="status muted" role="status">{t().hubDown}</p></Show>
      <main>
        <Switch>
          <Match when={call()}>{(c) => <CallScreen call={c()} />}</Match>
          <Match when={sos().state === 'sending'}>
            <p class="status" role="status">{(sos() as { attempts: number }).attempts > 1 ? t().retrying : t().calling}</p>
            <div class="fallback">{t().fallback}<strong>113</strong></div>
          </Match>
          <Match when={true}>
            <button class="sos" onClick={raiseSos}>{t().sos}<small>{t().sosHint}</small></button>
            <Identity />
          </Match>
        </Switch>
      </main>
    </>
  );
}
