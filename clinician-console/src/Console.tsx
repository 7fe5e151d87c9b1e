// The clinician's console: presence, the live waiting room, and the call (loaded only when a
// consult is accepted, so the video and chart code stay out of the first screen).
import { Show, createSignal, lazy, onCleanup, onMount } from 'solid-js';
import { LangSwitch } from '@tram/console-ui/i18n';
import type { ConsultStatus, MediaGrantView, QueueEntry, SavedVisitNoteView, StaffView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { followHubEvents } from '@tram/console-ui/hub-events';
import { chime } from './queue/chime.ts';
import { Queue } from './queue/Queue.tsx';
import { PresenceToggle } from './queue/PresenceToggle.tsx';
import { BreakGlass } from './breakglass/BreakGlass.tsx';
import { type Key, i18n, t } from './i18n.ts';

const CallScreen = lazy(() => import('./call/CallScreen.tsx'));

export interface ActiveConsult {
  entry: QueueEntry;
  media: MediaGrantView;
  /** The note saved so far, when rejoining a consult. */
  note?: SavedVisitNoteView | null;
}

const ENDED_TEXT: Partial<Record<ConsultStatus, Key>> = {
  abandoned: 'endedAbandoned',
  cancelled: 'endedCancelled',
  completed: 'endedCompleted',
};

export function Console(props: { me: StaffView; onOut: () => Promise<void> }) {
  const [entries, setEntries] = createSignal<QueueEntry[]>([]);
  const [availableCount, setAvailableCount] = createSignal(0);
  const [forbidden, setForbidden] = createSignal('');
  const [active, setActive] = createSignal<ActiveConsult | null>(null);
  const [notice, setNotice] = createSignal<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [live, setLive] = createSignal(false);
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(tick));

  // Urgent consults chime once, when first seen.
  const heard = new Set<string>();
  let loading: Promise<void> | null = null,
    again = false;
  const load = async (): Promise<void> => {
    // events can arrive in bursts: one fetch in flight, at most one more queued behind it
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      const r = await api.api.consults.queue.$get();
      if (r.status === 403 || r.status === 401) {
        setForbidden((await errorOf(r, 'Forbidden')).message);
        return;
      }
      if (!r.ok) return;
      const b = await r.json();
      setEntries(b.entries);
      setAvailableCount(b.available);
      const fresh = b.entries.filter((e) => e.status === 'waiting' && e.urgency >= 2 && !heard.has(e.id));
      for (const e of b.entries) heard.add(e.id);
      if (fresh.length && !active()) chime();
    })().finally(() => {
      loading = null;
      if (again) {
        again = false;
        void load();
      }
    });
    return loading;
  };

  onMount(() =>
    followHubEvents({
      live: setLive,
      open: () => void load(),
      event: (e) => {
        if (e.type === 'consult.presence') {
          setAvailableCount(e.data.available);
          return;
        }
        if (e.type !== 'consult.changed') return;
        const a = active();
        // the call closes when the consult ends elsewhere (resident left, cancelled, note saved in another tab)
        const ended = ENDED_TEXT[e.data.status];
        if (a && a.entry.id === e.data.id && ended) {
          setActive(null);
          setNotice({
            kind: e.data.status === 'completed' ? 'info' : 'error',
            text: `${t(ended)} (${a.entry.patient.name})`,
          });
        }
        void load();
      },
    }),
  );

  const accept = async (entry: QueueEntry) => {
    setNotice(null);
    const r = await api.api.consults[':id'].accept.$post({ param: { id: entry.id } });
    if (r.ok) {
      const b = await r.json();
      setActive({ entry, media: b.media });
      return;
    }
    const err = await errorOf(r, 'Could not accept');
    setNotice({
      kind: 'error',
      text: err.code === 'already_accepted' ? t('alreadyAccepted', { why: err.message }) : t('acceptFailed', { why: err.message }),
    });
    void load();
  };
  const rejoin = async (entry: QueueEntry) => {
    setNotice(null);
    const r = await api.api.consults[':id'].rejoin.$post({ param: { id: entry.id } });
    if (r.ok) {
      const b = await r.json();
      setActive({ entry, media: b.media, note: b.note });
    } else setNotice({ kind: 'error', text: t('rejoinFailed', { why: (await errorOf(r, '')).message }) });
  };
  const finished = (text: string) => {
    setActive(null);
    setNotice({ kind: 'info', text });
    void load();
  };

  const logout = async () => {
    if (props.me.role === 'clinician') await api.api.consults.presence.$put({ json: { available: false } }).catch(() => {});
    await props.onOut();
  };

  return (
    <>
      <header>
        <h1>
          {t('title')} — {props.me.displayName}
        </h1>
        <Show when={props.me.role === 'clinician'}>
          <PresenceToggle />
        </Show>
        <span class="muted">{live() ? t('online', { n: availableCount() }) : t('offline')}</span>
        <LangSwitch i18n={i18n} />
        <button type="button" onClick={logout}>
          {t('logout')}
        </button>
      </header>
      <main>
        <Show when={notice()}>
          {(n) => (
            <p class={n().kind === 'error' ? 'error' : 'info'} role={n().kind === 'error' ? 'alert' : 'status'}>
              {n().text}
            </p>
          )}
        </Show>
        <Show when={forbidden()}>
          <p class="error" role="alert">
            {t('forbidden', { why: forbidden() })}
          </p>
        </Show>
        <Show when={active()}>
          {(a) => <CallScreen consult={a()} me={props.me} onDone={finished} onMediaRenewed={(media) => setActive({ ...a(), media })} />}
        </Show>
        <Show when={!forbidden()}>
          <Queue entries={entries()} now={now()} me={props.me} busy={!!active()} onAccept={accept} onRejoin={rejoin} />
        </Show>
        <Show when={props.me.role === 'clinician' && !active()}>
          <BreakGlass />
        </Show>
      </main>
    </>
  );
}
