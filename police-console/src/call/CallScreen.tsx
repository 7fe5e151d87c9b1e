// The officer's side of an emergency call: the shared call view (hang-up lives in the pinned
// action bar) beside the caller card. When the room's LiveKit node dies (the hub's call.media_lost)
// or this console's connection to it drops, "media lost — call back" takes a fresh grant.
import { Show, createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { CallView as Call, MediaGrantView } from '@tram/contracts';
import { CallView } from '@tram/console-ui/call';
import { i18n, t } from '../i18n.ts';
import { CallerCard } from './CallerCard.tsx';
import { Responders } from './Responders.tsx';
import { Chat } from './Chat.tsx';
import { MediaLost } from './MediaLost.tsx';
import { onHubEvent } from './followup-events.ts';

export default function CallScreen(props: {
  call: Call;
  media: MediaGrantView;
  version: number;
  onOpen: (id: string) => void;
  onLeave?: () => void;
}) {
  // the grant in use: the one the call came with, or the one calling back got
  const [media, setMedia] = createSignal(props.media);
  createEffect(
    on(
      () => props.media,
      (m) => setMedia(m),
      { defer: true },
    ),
  );
  const [lost, setLost] = createSignal(false);
  onCleanup(
    onHubEvent((e) => {
      if (e.type === 'call.media_lost' && e.data.call.id === props.call.id) setLost(true);
    }),
  );
  return (
    <section class="in-call" aria-label={t('inCallWith', { station: props.call.station.name })}>
      <div class="media-col">
        <h2>{t('inCallWith', { station: props.call.station.name })}</h2>
        <Show when={props.call.note}>
          <p class="note">{props.call.note}</p>
        </Show>
        <Show when={lost()}>
          <MediaLost
            callId={props.call.id}
            onGrant={(m) => {
              setLost(false);
              setMedia(m);
            }}
          />
        </Show>
        <CallView media={media()} remoteLabel={t('resident')} lang={i18n.lang()} onLost={() => setLost(true)} />
        <Chat callId={props.call.id} />
        <Responders call={props.call} onLeft={props.onLeave} />
      </div>
      <CallerCard callId={props.call.id} version={props.version} answeredByMe onOpen={props.onOpen} />
    </section>
  );
}
