// Responders: the answering officer adds a colleague, a neighbouring ward's officer or a 115 medic
// with a typed handover; invited staff see the invitation (ringing), accept and join with media;
// the owner may hand the call to a joined officer and leave (warm transfer). A medic signs in to
// this console and sees only the calls it was added to.
import { For, Show, createEffect, createSignal, on, onCleanup, onMount } from 'solid-js';
import type { CallView as Call, InvitationView, MediaGrantView, ResponderView, StaffView, TimelineEntry } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { CallView } from '@tram/console-ui/call';
import { onHubEvent } from './followup-events.ts';
import { Chat } from './Chat.tsx';
import { MedicalHandover } from './MedicalHandover.tsx';
import { setRinging } from '../ring.ts';
import { i18n, t, type Key } from '../i18n.ts';

// a role or status this console does not know yet shows as sent, not as nothing
const ROLES = new Set(['police', 'command', 'medic']);
const STATUSES = new Set(['invited', 'joined', 'left']);
const roleText = (r: string) => (ROLES.has(r) ? t(`role_${r}` as Key) : r);
const statusText = (s: string) => (STATUSES.has(s) ? t(`rs_${s}` as Key) : s);

function useResponders(callId: () => string) {
  const [list, setList] = createSignal<ResponderView[]>([]);
  const [owner, setOwner] = createSignal<string | null>(null);
  let heard = false;
  onMount(() => {
    void (async () => {
      const r = await api.api.calls[':id'].responders.$get({ param: { id: callId() } });
      // an event that arrived while this was loading is newer than this answer
      if (r.ok && !heard) setList((await r.json()).responders);
    })();
    onCleanup(
      onHubEvent((e) => {
        if (e.type === 'call.responders' && e.data.callId === callId()) {
          heard = true;
          setList(e.data.responders);
          setOwner(e.data.owner?.username ?? null);
        }
      }),
    );
  });
  return { list, owner };
}

function ResponderList(props: { list: ResponderView[] }) {
  return (
    <ul class="responders" aria-label={t('respList')}>
      <For each={props.list}>
        {(r) => (
          <li data-username={r.username} data-status={r.status}>
            {roleText(r.role)} — {r.displayName} ({statusText(r.status)})
          </li>
        )}
      </For>
    </ul>
  );
}

/** In the owner's call screen: add someone with a handover note; hand over and leave. */
export function Responders(props: { call: Call; onLeft?: () => void }) {
  const { list } = useResponders(() => props.call.id);
  const [error, setError] = createSignal('');
  let username!: HTMLInputElement, note!: HTMLTextAreaElement;
  const add = async (ev: Event) => {
    ev.preventDefault();
    const r = await api.api.calls[':id'].responders.$post({
      param: { id: props.call.id },
      json: { username: username.value.trim(), note: note.value.trim() },
    });
    if (r.ok) {
      setError('');
      username.value = '';
    } else setError((await errorOf(r, t('respAddFailed'))).message);
  };
  const handOver = async (to: string) => {
    const r = await api.api.calls[':id'].transfer.$post({ param: { id: props.call.id }, json: { to } });
    if (r.ok) props.onLeft?.();
    else setError((await errorOf(r, t('respHandOverFailed'))).message);
  };
  return (
    <section class="add-responder" aria-label={t('respAdd')}>
      <h3>{t('respAdd')}</h3>
      <form onSubmit={add}>
        <input ref={username} aria-label={t('respUsername')} placeholder="canbo.binh, yte.115 …" />
        <textarea ref={note} aria-label={t('respNote')} maxLength={1000} />
        <button type="submit">{t('respAddToCall')}</button>
      </form>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <ResponderList list={list()} />
      <For each={list().filter((r) => r.status === 'joined' && r.role !== 'medic')}>
        {(r) => (
          <button type="button" class="transfer" onClick={() => void handOver(r.username)}>
            {t('respHandOver', { name: r.displayName })}
          </button>
        )}
      </For>
    </section>
  );
}

/** Calls this staff member was added to: ringing invitations, and the call once accepted. */
export function Invitations(props: { me: StaffView }) {
  const [invites, setInvites] = createSignal<InvitationView[]>([]);
  const [joined, setJoined] = createSignal<{ call: Call; media: MediaGrantView } | null>(null);
  const [ended, setEnded] = createSignal<TimelineEntry[] | null>(null);
  const [error, setError] = createSignal('');
  const load = async () => {
    const r = await api.api.calls.responding.$get();
    if (r.ok) setInvites((await r.json()).invitations);
  };
  const pending = () => invites().filter((i) => i.responder.status === 'invited');
  onMount(() => {
    void load();
    onCleanup(
      onHubEvent((e) => {
        if (e.type === 'hello' || e.type === 'responder.invited') void load();
        if (e.type === 'call.ended') {
          const j = joined();
          if (j && j.call.id === e.data.call.id) void finish(j.call.id);
          else void load();
        }
      }),
    );
  });
  // an invitation rings like a call; it stops once joined or gone (the ward's ringing is the App's)
  createEffect(
    on(
      () => pending().length > 0 && !joined(),
      (r, was) => (r || was) && setRinging(r),
    ),
  );
  const accept = async (id: string) => {
    const r = await api.api.calls[':id'].join.$post({ param: { id } });
    if (r.ok) {
      const b = await r.json();
      setJoined({ call: b.call, media: b.media });
      setEnded(null);
    } else setError((await errorOf(r, t('respJoinFailed'))).message);
    void load();
  };
  const finish = async (id: string) => {
    setJoined(null);
    const r = await api.api.calls[':id'].$get({ param: { id } });
    setEnded(r.ok ? (await r.json()).timeline : []);
    void load();
  };
  return (
    <>
      <section class="invitations" aria-label={t('respInvitations')}>
        <h2>{t('respInvitedHeading', { n: pending().length })}</h2>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <For each={pending()}>
          {(i) => (
            <article class="invitation" data-call-id={i.call.id}>
              <div>
                <h3>{i.call.station.name}</h3>
                <div>{i.call.station.address}</div>
                <div>
                  {t('respInvitedBy', { name: i.responder.invitedBy ?? '' })} · {i.call.answeredBy?.displayName}
                </div>
                <p class="note handover">{i.responder.note}</p>
              </div>
              <button type="button" class="answer" disabled={!!joined()} onClick={() => void accept(i.call.id)}>
                {t('respJoin')}
              </button>
            </article>
          )}
        </For>
      </section>
      <Show when={joined()}>
        {(j) => <ResponderCall call={j().call} media={j().media} me={props.me} onDone={(id) => void finish(id)} />}
      </Show>
      <Show when={ended()}>
        {(entries) => (
          <section class="timeline" aria-label={t('respTimeline')}>
            <h2>{t('timeline')}</h2>
            <ol>
              <For each={entries()}>
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
    </>
  );
}

/** A responder in the call: media, the chat, who is in; leaving (or ending, once it owns the call). */
function ResponderCall(props: { call: Call; media: MediaGrantView; me: StaffView; onDone: (id: string) => void }) {
  const { list, owner } = useResponders(() => props.call.id);
  const isOwner = () => (owner() ?? props.call.answeredBy?.username) === props.me.username;
  const hangup = async () => {
    if (isOwner()) await api.api.calls[':id'].end.$post({ param: { id: props.call.id }, json: { reason: 'resolved' } });
    else await api.api.calls[':id'].leave.$post({ param: { id: props.call.id } });
    props.onDone(props.call.id);
  };
  return (
    <section class="responder-call" aria-label={t('respCall')}>
      <h2>{t('respResponding', { station: props.call.station.name })}</h2>
      <p>{props.call.station.address}</p>
      <Show when={isOwner()}>
        <p role="status" class="owner">
          {t('respOwner')}
        </p>
      </Show>
      <ResponderList list={list()} />
      {/* the doctor's handover, for the 115 medic in the call or the officer it was handed to */}
      <Show when={props.me.role === 'medic' || isOwner()}>
        <MedicalHandover callId={props.call.id} />
      </Show>
      <div class="call-with-chat">
        <CallView
          media={props.media}
          remoteLabel={t('resident')}
          lang={i18n.lang()}
          hangup={{ label: isOwner() ? t('respHangUp') : t('respLeave'), onClick: () => void hangup() }}
        />
        <Chat callId={props.call.id} />
      </div>
    </section>
  );
}
