// The police console: calls ringing and in progress on the left (the ward once, time since
// ringing, the escalation level in words, who took a call), the call or the caller card in the
// middle, and a pinned action bar (answer / hang up, Alt+A / Alt+H) that never scrolls away.
// Command sees every ward's calls here; it rings only for calls escalated to it.
import { For, Match, Show, Switch, createEffect, createSignal, lazy, onCleanup, onMount } from 'solid-js';
import { staleCallView, type CallView, type DispositionView, type HubEvent, type MediaGrantView, type StaffView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { followHubEvents } from '@tram/console-ui/hub-events';
import { StaffGate } from '@tram/console-ui/staff-gate';
import { LangSwitch } from '@tram/console-ui/i18n';
import { setRinging } from './ring.ts';
import { i18n, t } from './i18n.ts';
import { elapsed } from './timeline.ts';
import { CallerCard } from './call/CallerCard.tsx';
import { Disposition } from './call/Disposition.tsx';
import { ServiceLevels } from './ServiceLevels.tsx';
import { History } from './History.tsx';
import { followupEvent } from './call/followup-events.ts';
import { Missed } from './call/Missed.tsx';
import { Invitations } from './call/Responders.tsx';
import { Declarations } from './declarations/Declarations.tsx';
import { serviceEvent } from './declarations/service-events.ts';

const CallScreen = lazy(() => import('./call/CallScreen.tsx'));

export function App() {
  return (
    <StaffGate title={t('signInTitle')} i18n={i18n}>
      {(me, signOut) => <Console me={me} onOut={signOut} />}
    </StaffGate>
  );
}

type Tab = 'calls' | 'levels' | 'history' | 'declarations';
const TAB_LABEL = { calls: 'tabCalls', levels: 'tabLevels', history: 'tabHistory', declarations: 'tabDeclarations' } as const;

/** Past this many seconds a ringing call shows red (NENA-STA-020: 90 % answered within 15 s). */
const LATE_S = 15;

function Console(props: { me: StaffView; onOut: () => Promise<void> }) {
  const [calls, setCalls] = createSignal<CallView[]>([]);
  const [active, setActive] = createSignal<{ call: CallView; media: MediaGrantView } | null>(null);
  // the call this officer just hung up, until its outcome is saved
  const [ended, setEnded] = createSignal<{ id: string; disposition: DispositionView | null } | null>(null);
  const [viewing, setViewing] = createSignal<string | null>(null);
  // Commune officers and building managers use this console for their desk work only.
  const desk = props.me.role === 'commune_officer' || props.me.role === 'building_manager';
  const tabs: Tab[] = desk
    ? ['declarations']
    : props.me.role === 'police'
      ? ['calls', 'levels', 'history', 'declarations']
      : props.me.role === 'command'
        ? ['calls', 'levels', 'history']
        : ['calls'];
  const [tab, setTab] = createSignal<Tab>(tabs[0]!);
  const [notice, setNotice] = createSignal('');
  const [live, setLive] = createSignal(false);
  const [now, setNow] = createSignal(Date.now());
  const [version, setVersion] = createSignal(0);
  const tick = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(tick));
  // Stations of the ward that cannot take an SOS now (offline, no camera/microphone): a banner.
  const [stationAlerts, setStationAlerts] = createSignal<Extract<HubEvent, { type: 'station.alert' }>['data'][]>([]);

  const isCommand = props.me.role === 'command';
  // Calls seen ended: a ring repeated after the end (a station's retry) must not bring one back.
  const endedIds = new Set<string>();
  const stale = (c: CallView) =>
    (c.status !== 'ended' && endedIds.has(c.id)) || staleCallView(calls().find((x) => x.id === c.id) ?? active()?.call, c);
  const upsert = (c: CallView) => {
    if (c.status === 'ended') endedIds.add(c.id);
    setCalls((xs) => [...xs.filter((x) => x.id !== c.id), c].filter((x) => x.status !== 'ended'));
  };
  const ringing = () => calls().filter((c) => c.status === 'ringing');
  const inProgress = () => calls().filter((c) => c.status === 'answered');
  // command is rung only for calls escalated to it; it still sees every ward's calls
  createEffect(() => setRinging(ringing().some((c) => !isCommand || c.escalationLevel >= 2) && !active()));

  const load = async () => {
    if (desk) return;
    const r = await api.api.calls.$get();
    if (r.ok) setCalls((await r.json()).calls);
  };
  const onEvent = (e: HubEvent) => {
    followupEvent(e);
    serviceEvent(e);
    if (e.type === 'station.alert') {
      const a = e.data;
      setStationAlerts((xs) => [...xs.filter((x) => !(x.stationId === a.stationId && x.kind === a.kind)), ...(a.raised ? [a] : [])]);
    }
    switch (e.type) {
      case 'call.ringing':
      case 'call.answered':
      case 'call.escalated':
      case 'call.media_lost':
      case 'call.ended': {
        const c = e.data.call;
        if (stale(c)) return;
        upsert(c);
        const a = active();
        if (a && a.call.id === c.id) {
          setActive({ ...a, call: c });
          if (c.status === 'ended') finish(c.id);
        }
        setVersion((v) => v + 1);
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
      setViewing(null);
      setTab('calls');
    } else {
      setNotice((await errorOf(r, 'Error')).message);
      void load();
    }
  };
  const answerOldest = () => {
    const c = ringing().sort((a, b) => b.escalationLevel - a.escalationLevel || Date.parse(a.createdAt) - Date.parse(b.createdAt))[0];
    if (c && !active()) void answer(c);
  };
  const finish = (id: string) => {
    setActive(null);
    setEnded({ id, disposition: null });
    setTab('calls');
  };
  const hangup = async () => {
    const a = active();
    if (!a) return;
    await api.api.calls[':id'].end.$post({ param: { id: a.call.id }, json: { reason: 'hangup' } });
    finish(a.call.id);
  };
  const onKey = (e: KeyboardEvent) => {
    if (!e.altKey) return;
    if (e.key.toLowerCase() === 'a') {
      e.preventDefault();
      answerOldest();
    } else if (e.key.toLowerCase() === 'h') {
      e.preventDefault();
      void hangup();
    }
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));
  const open = (id: string) => {
    setViewing(id);
    setTab('calls');
  };

  return (
    <div class="console">
      <header>
        <h1>
          {t('title')} — {props.me.displayName}
        </h1>
        <nav aria-label="tabs">
          <For each={tabs}>
            {(k) => (
              <button type="button" classList={{ tab: true, current: tab() === k }} onClick={() => setTab(k)}>
                {t(TAB_LABEL[k])}
              </button>
            )}
          </For>
        </nav>
        <span class={live() ? 'live' : 'down'}>{live() ? t('online') : t('offline')}</span>
        <LangSwitch i18n={i18n} />
        <button type="button" onClick={() => props.onOut()}>
          {t('logout')}
        </button>
      </header>
      <div class="workspace">
        <aside class="call-list" hidden={desk}>
          <section aria-label={t('ringingHeading', { n: ringing().length })}>
            <h2>{t('ringingHeading', { n: ringing().length })}</h2>
            <For each={ringing()} fallback={<p>{t('noneRinging')}</p>}>
              {(c) => {
                const age = () => elapsed(c.createdAt, now());
                return (
                  <article class={`call level${c.escalationLevel}`} classList={{ late: age().s > LATE_S }} data-call-id={c.id}>
                    <div>
                      <h3>{c.station.name}</h3>
                      <div>{c.station.address}</div>
                      <div class="meta">
                        <span class="ward">{c.station.ward}</span> · <span class="age">{age().text}</span>
                      </div>
                      <div class="level">{t(`level${Math.min(2, c.escalationLevel) as 0 | 1 | 2}`)}</div>
                      <Show when={c.identified}>
                        <div class="identified">{t('residentIdentified')}</div>
                      </Show>
                      <Show when={c.note}>
                        <div class="note">{c.note}</div>
                      </Show>
                    </div>
                    <button type="button" class="answer" disabled={!!active()} onClick={() => answer(c)}>
                      {t('answer')}
                    </button>
                  </article>
                );
              }}
            </For>
          </section>
          <section aria-label={t('activeHeading', { n: inProgress().length })}>
            <h2>{t('activeHeading', { n: inProgress().length })}</h2>
            <For each={inProgress()}>
              {(c) => (
                <article class="taken" data-call-id={c.id}>
                  <h3>{c.station.name}</h3>
                  <div class="meta">
                    {c.station.ward} · {t('takenBy', { name: c.answeredBy?.displayName ?? '' })}
                  </div>
                </article>
              )}
            </For>
          </section>
          {/* the follow-up work (missed calls to call back) mounts its list here */}
          <div class="slot" data-slot="missed-calls">
            <Invitations me={props.me} />
            <Show when={props.me.role !== 'medic'}>
              <Missed busy={!!active()} onCallback={(p) => setActive({ call: p.call, media: p.media })} />
            </Show>
          </div>
        </aside>
        <main>
          <For each={stationAlerts()}>
            {(a) => (
              <p class="error station-alert" role="alert" data-alert={`${a.code}:${a.kind}`}>
                {t(a.kind === 'offline' ? 'stationOffline' : 'sosPathBroken')}: {a.name} — {a.detail}
              </p>
            )}
          </For>
          <Show when={notice()}>
            <p class="error" role="alert">
              {notice()}
            </p>
          </Show>
          <Switch>
            <Match when={tab() === 'declarations'}>
              <Declarations me={props.me} />
            </Match>
            <Match when={tab() === 'levels'}>
              <ServiceLevels />
            </Match>
            <Match when={tab() === 'history'}>
              <History onOpen={open} />
            </Match>
            <Match when={active()}>
              {(a) => <CallScreen call={a().call} media={a().media} version={version()} onOpen={open} onLeave={() => setActive(null)} />}
            </Match>
            <Match when={ended()}>
              {(e) => (
                <div class="after-call">
                  <Disposition callId={e().id} initial={e().disposition} onSaved={(d) => setEnded({ id: e().id, disposition: d })} />
                  <CallerCard callId={e().id} version={version()} answeredByMe onOpen={open} />
                </div>
              )}
            </Match>
            <Match when={viewing()}>
              {(id) => (
                <div class="viewing">
                  <button type="button" onClick={() => setViewing(null)}>
                    {t('close')}
                  </button>
                  <CallerCard callId={id()} version={version()} answeredByMe={false} onOpen={open} />
                </div>
              )}
            </Match>
          </Switch>
        </main>
      </div>
      <footer class="action-bar" data-testid="action-bar">
        <button type="button" class="answer big" disabled={!!active() || ringing().length === 0} onClick={answerOldest}>
          {t('answerKey')}
        </button>
        <button type="button" class="hangup big" disabled={!active()} onClick={() => void hangup()}>
          {t('hangup')}
        </button>
        {/* the follow-up work (add a responder, transfer, chat) mounts its buttons here */}
        <span class="slot" data-slot="call-actions" />
      </footer>
    </div>
  );
}
