// The kiosk: a bar on top, the current screen, the emergency button always one tap away, and the
// idle guard. A call (SOS or doctor) takes the whole screen.
import { Match, Show, Switch, createEffect } from 'solid-js';
import { t } from './i18n/index.ts';
import { call, cancelledNote, countdown, resetCall, sos } from './state/sos.ts';
import { screen } from './state/navigation.ts';
import { consult } from './state/consult.ts';
import { TopBar } from './components/TopBar.tsx';
import { SosBar } from './components/SosBar.tsx';
import { IdleGuard } from './components/IdleGuard.tsx';
import { HubBanner } from './components/HubBanner.tsx';
import { SosCall } from './call/SosCall.tsx';
import { SosProgress } from './screens/SosProgress.tsx';
import { SosCountdown } from './screens/SosCountdown.tsx';
import { CardReminder } from './components/CardReminder.tsx';
import { Home } from './screens/Home.tsx';
import { NeedsCard } from './screens/NeedsCard.tsx';
import { HealthCheck } from './screens/health/HealthCheck.tsx';
import { Consult } from './screens/consult/Consult.tsx';
import { ReceiptLookup, Services } from './screens/Services.tsx';
import { Bills } from './screens/Bills.tsx';
import { WhoSaw } from './screens/WhoSaw.tsx';
import { CallbackCall, IncomingCall } from './call/IncomingCall.tsx';
import { callback } from './state/followup.ts';

export function App() {
  // After an emergency call the kiosk shows "back to start"; if nobody presses it, it goes back by
  // itself after a minute.
  createEffect(() => {
    const c = call();
    if (c?.status === 'ended')
      setTimeout(() => {
        if (call()?.id === c.id) resetCall();
      }, 60_000);
  });
  const inCall = () => !!call() || !!callback() || consult()?.status === 'in_call';
  const sending = () => !call() && sos().state === 'sending';
  return (
    <div class="kiosk" classList={{ 'in-call': inCall() }}>
      <Show when={!inCall()}>
        <TopBar />
      </Show>
      <HubBanner />
      {/* On step screens the emergency button sits at the top right, away from the main action
          (lower middle) and smaller than it; on the start screen the big one is part of Home. */}
      <Show when={screen() !== 'home' && !inCall() && !sending()}>
        <SosBar />
      </Show>
      <Show when={cancelledNote()}>
        <p class="banner cancelled" role="status">
          {t().sosCancelled}
        </p>
      </Show>
      <main>
        <Switch>
          <Match when={callback()}>
            <CallbackCall />
          </Match>
          <Match when={call()}>{(c) => <SosCall call={c()} />}</Match>
          <Match when={sending()}>
            <SosProgress />
          </Match>
          <Match when={screen() === 'home'}>
            <Home />
          </Match>
          <Match when={screen() === 'health'}>
            <NeedsCard why={t().needCardHealth}>
              <HealthCheck />
            </NeedsCard>
          </Match>
          <Match when={screen() === 'consult'}>
            <NeedsCard why={t().needCardConsult}>
              <Consult />
            </NeedsCard>
          </Match>
          <Match when={screen() === 'services'}>
            <NeedsCard why={t().needCardServices} alt={<ReceiptLookup />}>
              <Services />
            </NeedsCard>
          </Match>
          <Match when={screen() === 'bills'}>
            <Bills />
          </Match>
          <Match when={screen() === 'whoSaw'}>
            <NeedsCard why={t().needCardWhoSaw}>
              <WhoSaw />
            </NeedsCard>
          </Match>
        </Switch>
      </main>
      <IncomingCall />
      <IdleGuard />
      <CardReminder />
      <Show when={countdown() !== null}>
        <SosCountdown />
      </Show>
    </div>
  );
}
